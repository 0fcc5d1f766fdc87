package io.staleguard.device.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.sim.SimulatedDevice;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The routing provider installed as the JVM's default ({@link RoutingFileSystemProvider#FLAG}): paths that code
 * builds from a routed directory's name reach the simulated filesystem, and {@code java.io}, which bypasses NIO
 * providers, fails loudly there because the routed host directory does not exist.
 */
@Tag(RoutingRequired.TAG)
class RoutingInstalledTest {

    private RoutingFileSystemProvider provider;
    private SimulatedDevice device;
    private SimulatedFileSystem sim;
    private Route route;

    @BeforeEach
    void setUp() throws IOException {
        provider = RoutingRequired.provider();
        device = SimulatedDevice.builder().capacity(16L << 20).seed(0x13).build();
        sim = SimulatedFileSystem.on(device);
        route = provider.routeAbsentDirectory("dev", Files.createDirectory(sim.getPath("/test")));
    }

    @AfterEach
    void tearDown() throws IOException {
        if (route != null) {
            route.close();
            sim.close();
            device.close();
        }
    }

    @Test
    void theDefaultFileSystemIsTheRoutingOne() {
        assertThat(FileSystems.getDefault().provider()).isSameAs(provider);
        assertThat(FileSystems.getDefault()).isSameAs(provider.fileSystem());
        assertThat(Path.of("/x").getFileSystem()).isSameAs(provider.fileSystem());
        assertThat(route.hostDirectory().getFileSystem()).isSameAs(FileSystems.getDefault());
    }

    @Test
    void pathsBuiltFromTheDirectorysNameReachTheSimulatedFileSystem() throws IOException {
        String dir = route.hostDirectory().toString();
        Files.writeString(Paths.get(dir, "a.txt"), "a");
        Files.writeString(Path.of(dir).resolve("b.txt"), "b");
        Files.writeString(new File(dir, "c.txt").toPath(), "c");
        Files.writeString(route.hostDirectory().toFile().toPath().resolve("d.txt"), "d");
        Files.writeString(Path.of("").toAbsolutePath().relativize(Path.of(dir, "e.txt")).toAbsolutePath(), "e");
        Files.writeString(Path.of(dir, "sub", "..", "f.txt"), "f");
        for (String name : new String[] {"a", "b", "c", "d", "e", "f"}) {
            assertThat(Files.readString(sim.getPath("/test/" + name + ".txt"))).isEqualTo(name);
        }
        assertThat(device.operations()).isPositive();
    }

    @Test
    void theRoutedDirectoryAndItsParentDoNotExistOnTheHost() {
        File dir = route.hostDirectory().toFile();
        assertThat(dir.exists()).as("java.io sees the host: " + dir).isFalse();
        assertThat(dir.getParentFile().exists()).isFalse();
        assertThat(Files.isDirectory(route.hostDirectory())).as("NIO sees the simulated directory").isTrue();
    }

    @Test
    void javaIoUnderTheRoutedDirectoryFailsLoudly() throws IOException {
        File dir = route.hostDirectory().toFile();
        Files.writeString(route.hostDirectory().resolve("seg"), "on the simulated filesystem");
        File seg = new File(dir, "seg");
        assertThatThrownBy(() -> new RandomAccessFile(seg, "r").close())
                .isInstanceOf(FileNotFoundException.class).hasMessageContaining(seg.getPath());
        assertThatThrownBy(() -> new RandomAccessFile(seg, "rw").getChannel().close())
                .isInstanceOf(FileNotFoundException.class);
        assertThatThrownBy(() -> new FileInputStream(seg).close()).isInstanceOf(FileNotFoundException.class);
        assertThatThrownBy(() -> new FileOutputStream(seg).close()).isInstanceOf(FileNotFoundException.class);
        assertThatThrownBy(() -> new FileOutputStream(new File(dir, "new")).close())
                .isInstanceOf(FileNotFoundException.class);
        assertThat(dir.getParentFile().exists()).as("nothing was created on the host").isFalse();
    }

    @Test
    void pathsOutsideTheRoutePassToTheHost(@org.junit.jupiter.api.io.TempDir Path temp) throws IOException {
        Path f = Path.of(temp.toString(), "host.txt");
        Files.writeString(f, "host");
        assertThat(new String(java.nio.file.Files.readAllBytes(new File(temp.toFile(), "host.txt").toPath())))
                .isEqualTo("host");
        try (FileInputStream in = new FileInputStream(f.toFile())) {
            assertThat(new String(in.readAllBytes())).isEqualTo("host");
        }
    }
}
