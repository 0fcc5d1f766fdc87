package io.staleguard.maven;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.io.File;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apiguardian.api.API;

/**
 * What every Staleguard goal shares: {@code staleguard.skip} and the report directory.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public abstract class StaleguardMojo extends AbstractMojo {

    /** Skips every Staleguard goal. */
    @Parameter(property = "staleguard.skip", defaultValue = "false")
    protected boolean skip;

    /** Where reports are read and written: the extension's per-test reports, the soak summary, the HTML report. */
    @Parameter(property = "staleguard.reportDirectory", defaultValue = "${project.build.directory}/staleguard")
    protected File reportDirectory;

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Staleguard: " + goal() + " skipped (staleguard.skip=true)");
            return;
        }
        run();
    }

    /** The goal's name, for log lines. */
    protected abstract String goal();

    /** The goal's work, when not skipped. */
    protected abstract void run() throws MojoExecutionException, MojoFailureException;
}
