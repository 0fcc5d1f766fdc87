package io.staleguard.maven.internal.soak;

import java.io.File;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.project.MavenProject;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;

/** The classpath of the forked soak JVM: what it runs the project's tests and the plugin's own code with. */
public final class ForkClasspath {

    private static final String LAUNCHER = "org.junit.platform:junit-platform-launcher";

    private final MavenProject project;
    private final PluginDescriptor plugin;
    private final RepositorySystem repositorySystem;
    private final MavenSession session;
    private final Log log;

    /**
     * The classpath of {@code project}'s soak.
     *
     * @param project          the project soaked
     * @param plugin           this plugin, whose jars the fork needs
     * @param repositorySystem resolves a launcher matching the project's JUnit Platform
     * @param session          the Maven session to resolve in
     * @param log              where a launcher that cannot be resolved is reported
     */
    public ForkClasspath(MavenProject project, PluginDescriptor plugin, RepositorySystem repositorySystem,
                         MavenSession session, Log log) {
        this.project = project;
        this.plugin = plugin;
        this.repositorySystem = repositorySystem;
        this.session = session;
        this.log = log;
    }

    /**
     * The project's test classpath, then the plugin's own jars (the fork's main class, Jackson, the
     * JUnit Platform Launcher) that the project does not already bring.
     */
    public List<String> elements() throws MojoExecutionException {
        Set<String> cp = new LinkedHashSet<>();
        try {
            if (!"pom".equals(project.getPackaging())) {
                cp.addAll(project.getTestClasspathElements());
            }
        } catch (DependencyResolutionRequiredException e) {
            throw new MojoExecutionException("Staleguard soak: the test classpath is not resolved: " + e.getMessage());
        }
        Set<String> present = new HashSet<>();
        for (Artifact a : project.getArtifacts()) {
            present.add(a.getGroupId() + ":" + a.getArtifactId());
        }
        if (plugin.getPluginArtifact() != null && plugin.getPluginArtifact().getFile() != null) {
            cp.add(plugin.getPluginArtifact().getFile().getAbsolutePath());
        }
        matchingLauncher(present).ifPresent(f -> {
            cp.add(f.getAbsolutePath());
            present.add(LAUNCHER);
        });
        for (Artifact a : plugin.getArtifacts()) {
            File f = a.getFile();
            if (f != null && !present.contains(a.getGroupId() + ":" + a.getArtifactId())) {
                cp.add(f.getAbsolutePath());
            }
        }
        return new ArrayList<>(cp);
    }

    /**
     * The JUnit Platform Launcher of the project's own platform version (as surefire does), when the
     * project has the engine but not the launcher: a launcher of another version may not run its engine.
     */
    private Optional<File> matchingLauncher(Set<String> present) {
        if (present.contains(LAUNCHER)) {
            return Optional.empty();
        }
        String version = project.getArtifacts().stream()
                .filter(a -> a.getGroupId().equals("org.junit.platform") && a.getArtifactId().equals("junit-platform-engine"))
                .map(Artifact::getVersion).findFirst().orElse(null);
        if (version == null) {
            return Optional.empty();
        }
        try {
            ArtifactRequest request = new ArtifactRequest(new DefaultArtifact(LAUNCHER + ":jar:" + version),
                    project.getRemoteProjectRepositories(), null);
            return Optional.of(repositorySystem.resolveArtifact(session.getRepositorySession(), request)
                    .getArtifact().getFile());
        } catch (ArtifactResolutionException e) {
            log.warn("Staleguard soak: cannot resolve " + LAUNCHER + ":" + version + " to match the project's "
                    + "JUnit Platform; using the plugin's launcher (" + e.getMessage() + ")");
            return Optional.empty();
        }
    }
}
