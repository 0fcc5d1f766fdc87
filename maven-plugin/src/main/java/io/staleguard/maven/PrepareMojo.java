package io.staleguard.maven;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.staleguard.device.fs.RoutingFileSystemProvider;
import io.staleguard.maven.internal.settings.RoutingArgLine;
import java.util.Properties;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apiguardian.api.API;

/**
 * Installs Staleguard's routing default provider in the test JVMs: appends
 * {@code -Djava.nio.file.spi.DefaultFileSystemProvider=io.staleguard.device.fs.RoutingFileSystemProvider}
 * to the {@code argLine} property, which Surefire and Failsafe pass to the JVMs they fork, keeping what the property
 * held. Then a path that test code builds from an injected directory's name ({@code Paths.get(dir.toString())},
 * {@code new File(..).toPath()}) reaches Staleguard's filesystem for that directory.
 *
 * <p>As with jacoco's {@code prepare-agent}: a Surefire or Failsafe {@code <argLine>} written in the POM replaces the
 * property, so write it as {@code <argLine>@{argLine} -Xmx1g</argLine>}; the {@code @{..}} form is replaced when
 * the tests start, after this goal ran, where {@code ${argLine}} would be replaced before it. With
 * {@code staleguard.skip} the goal sets an absent property to the empty string, so that {@code @{argLine}} still
 * resolves.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
@Mojo(name = "prepare", defaultPhase = LifecyclePhase.INITIALIZE, threadSafe = true)
public class PrepareMojo extends StaleguardMojo {

    /** The property to append the flag to: {@code argLine} for Surefire and Failsafe, or one of your own. */
    @Parameter(property = "staleguard.propertyName", defaultValue = "argLine")
    String propertyName;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    @Override
    public void execute() {
        Properties properties = project.getProperties();
        if (skipped("prepare")) {
            if (properties.getProperty(propertyName) == null) {
                properties.setProperty(propertyName, "");
            }
            return;
        }
        String before = properties.getProperty(propertyName);
        String after = RoutingArgLine.with(before);
        properties.setProperty(propertyName, after);
        getLog().info("Staleguard: " + propertyName + (after.equals(before) ? " already routes: " : " set to ")
                + after);
    }
}
