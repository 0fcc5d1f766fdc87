package io.staleguard.maven;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.staleguard.device.ViolationKind;
import io.staleguard.maven.internal.check.KindSelection;
import io.staleguard.maven.internal.check.ReportSet;
import io.staleguard.maven.internal.check.SoakStatus;
import io.staleguard.maven.internal.check.Verdict;
import io.staleguard.maven.internal.html.ReportPublisher;
import io.staleguard.maven.internal.json.ReportFileException;
import io.staleguard.maven.internal.settings.Flag;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apiguardian.api.API;

/**
 * Fails the build when the extension's per-test reports and the soak summary in
 * {@code target/staleguard/} hold more violations of a failing kind than allowed. Like
 * failsafe's {@code verify} after {@code integration-test}, or jacoco's {@code check}. A soak summary that is not
 * whole ({@code INTERRUPTED}, {@code RUNNING}, {@code CRASHED}) fails it too, whatever it found.
 *
 * <p>Before it judges, it writes the HTML report ({@code target/staleguard/index.html}), so the timelines are there
 * when the build fails although {@code report} is bound after it; the failure message names the report.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
@Mojo(name = "check", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class CheckMojo extends StaleguardMojo {

    /**
     * The kinds that fail the build, comma separated, by name or in words ({@code stale-read,guard-tag});
     * {@code ALL} or {@code NONE}. Default: every kind but unsupported-mixing (the stale, torn, corrupt, tag,
     * short-transfer, crash and position-race kinds).
     */
    @Parameter(property = "staleguard.failOn")
    private String failOn;

    /** How many violations of each failing kind are tolerated. */
    @Parameter(property = "staleguard.maxViolations", defaultValue = "0")
    private long maxViolations;

    /**
     * Judges an {@code INTERRUPTED} soak summary (stopped by a signal: partial) on what it found instead of failing
     * on it, with a warning. {@code RUNNING} and {@code CRASHED} summaries fail whatever this says.
     */
    @Parameter(property = "staleguard.acceptPartial", defaultValue = "false")
    private String acceptPartial;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skipped("check")) {
            return;
        }
        Set<ViolationKind> kinds;
        try {
            kinds = KindSelection.parse(failOn);
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException(e.getMessage());
        }
        boolean partialAccepted;
        try {
            partialAccepted = Flag.parse("staleguard.acceptPartial", acceptPartial);
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException(e.getMessage());
        }
        if (maxViolations < 0) {
            throw new MojoExecutionException("staleguard.maxViolations: must be 0 or more, was " + maxViolations);
        }
        ReportSet reports;
        try {
            reports = ReportSet.read(reportDirectory.toPath());
        } catch (ReportFileException e) {
            throw new MojoExecutionException("Staleguard cannot read a report: " + e.getMessage());
        }
        if (reports.isEmpty()) {
            getLog().info("Staleguard: no reports in " + reportDirectory + ", nothing to check");
            return;
        }
        if (partialAccepted) {
            reports.soak().filter(s -> SoakStatus.INTERRUPTED.name().equals(s.status())).ifPresent(s ->
                    getLog().warn("Staleguard: the soak summary is partial and accepted (staleguard.acceptPartial): "
                            + s.statusDetail()));
        }
        Optional<Path> index = writeReport(reports, kinds);
        Verdict verdict = Verdict.of(reports, kinds, maxViolations, partialAccepted);
        if (verdict.failed()) {
            // Maven prints the message once, in its failure block; logging it too would only repeat it.
            throw new MojoFailureException(verdict.message()
                    + index.map(p -> "\n" + ReportPublisher.reportLine(p)).orElse(""));
        }
        getLog().info(verdict.message());
        index.ifPresent(p -> getLog().info("Staleguard: report written to " + p));
    }

    /** The report is a help for reading the verdict, never a reason to withhold it: a failure here is a warning. */
    private Optional<Path> writeReport(ReportSet reports, Set<ViolationKind> kinds) {
        try {
            return new ReportPublisher(project.getGroupId() + ":" + project.getArtifactId(), kinds, maxViolations)
                    .publish(reports);
        } catch (ReportFileException e) {
            getLog().warn("Staleguard: no HTML report: cannot read a report: " + e.getMessage());
        } catch (IOException e) {
            getLog().warn("Staleguard: no HTML report: cannot write it to " + reportDirectory + ": " + e);
        }
        return Optional.empty();
    }
}
