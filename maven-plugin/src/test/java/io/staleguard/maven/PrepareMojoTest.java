package io.staleguard.maven;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.fs.RoutingFileSystemProvider;
import io.staleguard.maven.internal.settings.RoutingArgLine;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;

/** {@code staleguard:prepare}: the routing flag appended to {@code argLine}, keeping what the user has. */
class PrepareMojoTest {

    private static final String FLAG = RoutingFileSystemProvider.FLAG;

    private static PrepareMojo mojo(MavenProject project, String propertyName) {
        PrepareMojo m = new PrepareMojo();
        m.project = project;
        m.propertyName = propertyName;
        return m;
    }

    @Test
    void theFlagIsTheOneTheProviderDocuments() {
        assertThat(FLAG).isEqualTo("-Djava.nio.file.spi.DefaultFileSystemProvider="
                + RoutingFileSystemProvider.class.getName());
    }

    @Test
    void setsArgLineWhenAbsent() {
        MavenProject p = new MavenProject();
        mojo(p, "argLine").execute();
        assertThat(p.getProperties().getProperty("argLine")).isEqualTo(FLAG);
    }

    @Test
    void appendsToAnExistingArgLine() {
        MavenProject p = new MavenProject();
        p.getProperties().setProperty("argLine", "-javaagent:/x/jacoco.jar=destfile=a.exec -Xmx1g");
        mojo(p, "argLine").execute();
        assertThat(p.getProperties().getProperty("argLine"))
                .isEqualTo("-javaagent:/x/jacoco.jar=destfile=a.exec -Xmx1g " + FLAG);
    }

    @Test
    void isIdempotentWhenRunTwice() {
        MavenProject p = new MavenProject();
        p.getProperties().setProperty("argLine", "-Xmx1g");
        mojo(p, "argLine").execute();
        mojo(p, "argLine").execute();
        assertThat(p.getProperties().getProperty("argLine")).isEqualTo("-Xmx1g " + FLAG);
    }

    @Test
    void honoursPropertyName() {
        MavenProject p = new MavenProject();
        p.getProperties().setProperty("argLine", "-Xmx1g");
        mojo(p, "staleguardArgs").execute();
        assertThat(p.getProperties().getProperty("staleguardArgs")).isEqualTo(FLAG);
        assertThat(p.getProperties().getProperty("argLine")).isEqualTo("-Xmx1g");
    }

    @Test
    void skipLeavesAnExistingValueAndSetsAnAbsentOneEmpty() {
        MavenProject p = new MavenProject();
        PrepareMojo m = mojo(p, "argLine");
        m.skip = true;
        m.execute();
        assertThat(p.getProperties().getProperty("argLine")).isEmpty();
        p.getProperties().setProperty("argLine", "-Xmx1g");
        m.execute();
        assertThat(p.getProperties().getProperty("argLine")).isEqualTo("-Xmx1g");
    }

    @Test
    void anotherDefaultProviderIsKeptAndWrapped() {
        assertThat(RoutingArgLine.with("-Xmx1g -Djava.nio.file.spi.DefaultFileSystemProvider=com.x.Mine -ea"))
                .isEqualTo("-Xmx1g -Djava.nio.file.spi.DefaultFileSystemProvider=com.x.Mine,"
                        + RoutingFileSystemProvider.class.getName() + " -ea");
        String chained = "-Djava.nio.file.spi.DefaultFileSystemProvider=com.x.Mine,"
                + RoutingFileSystemProvider.class.getName();
        assertThat(RoutingArgLine.with(chained)).isEqualTo(chained);
        assertThat(RoutingArgLine.with("  ")).isEqualTo(FLAG);
        assertThat(RoutingArgLine.with("-Xmx1g  ")).isEqualTo("-Xmx1g " + FLAG);
    }
}
