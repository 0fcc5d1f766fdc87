package io.staleguard.maven;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.io.File;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apiguardian.api.API;

/**
 * The parameters every Staleguard goal shares: {@code staleguard.skip} and the report directory. Each goal's
 * {@code execute()} asks {@link #skipped(String)} first and then does its own work; nothing here runs a goal.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public abstract class StaleguardMojo extends AbstractMojo {

    /** Skips every Staleguard goal. */
    @Parameter(property = "staleguard.skip", defaultValue = "false")
    protected boolean skip;

    /** Where reports are read and written: the extension's per-test reports, the soak summary, the HTML report. */
    @Parameter(property = "staleguard.reportDirectory", defaultValue = "${project.build.directory}/staleguard")
    protected File reportDirectory;

    /** Whether {@code staleguard.skip} is set; logs that {@code goal} was skipped when it is. */
    protected final boolean skipped(String goal) {
        if (skip) {
            getLog().info("Staleguard: " + goal + " skipped (staleguard.skip=true)");
        }
        return skip;
    }
}
