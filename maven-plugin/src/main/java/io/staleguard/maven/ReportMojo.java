package io.staleguard.maven;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.staleguard.maven.internal.check.KindSelection;
import io.staleguard.maven.internal.check.ReportSet;
import io.staleguard.maven.internal.html.HtmlReport;
import io.staleguard.maven.internal.json.ReportFileException;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apiguardian.api.API;

/**
 * Writes {@code target/staleguard/index.html}: a self-contained, offline report of the per-test
 * reports and the soak summary, with one page per violation and its timeline drawn as SVG.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
@Mojo(name = "report", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class ReportMojo extends StaleguardMojo {

    /** The kinds the report's verdict line counts as failing (as in {@code check}). */
    @Parameter(property = "staleguard.failOn")
    private String failOn;

    /** The tolerated count per failing kind (as in {@code check}). */
    @Parameter(property = "staleguard.maxViolations", defaultValue = "0")
    private long maxViolations;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Override
    public void execute() throws MojoExecutionException {
        if (skipped("report")) {
            return;
        }
        try {
            ReportSet reports = ReportSet.read(reportDirectory.toPath());
            Path index = HtmlReport.write(reports, project.getGroupId() + ":" + project.getArtifactId(),
                    KindSelection.parse(failOn), maxViolations);
            getLog().info("Staleguard: report written to " + index);
        } catch (ReportFileException e) {
            throw new MojoExecutionException("Staleguard cannot read a report: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException(e.getMessage());
        } catch (IOException e) {
            throw new MojoExecutionException("Staleguard: cannot write the report to " + reportDirectory + ": " + e, e);
        }
    }
}
