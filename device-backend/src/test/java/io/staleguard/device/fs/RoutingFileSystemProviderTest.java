package io.staleguard.device.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.sim.SimulatedDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The routing provider's table, built by hand over the platform provider (no JVM flag): which filesystem a path
 * of the routing filesystem reaches, however it was built, and what a caller sees of a routed operation. With the
 * flag, {@code RoutingInstalledTest} covers {@code Paths.get}, {@code File.toPath()} and {@code java.io}.
 */
class RoutingFileSystemProviderTest {

    @TempDir
    Path temp;

    private RoutingFileSystemProvider provider;
    private FileSystem routing;
    private SimulatedDevice device;
    private SimulatedFileSystem sim;
    private Path simDir;

    @BeforeEach
    void setUp() throws IOException {
        provider = new RoutingFileSystemProvider(FileSystems.getDefault().provider());
        routing = provider.fileSystem();
        device = SimulatedDevice.builder().capacity(16L << 20).seed(0x12).build();
        sim = SimulatedFileSystem.on(device);
        simDir = Files.createDirectory(sim.getPath("/test"));
    }

    @AfterEach
    void tearDown() throws IOException {
        sim.close();
        device.close();
    }

    private Path hostDir(String name) {
        return routing.getPath(RoutingFileSystemProvider.platformPath(temp).toString(), name);
    }

    @Test
    void theRoutingFileSystemIsThePlatformsWithWrappedPaths() {
        assertThat(provider.getScheme()).isEqualTo("file");
        assertThat(provider.getFileSystem(java.net.URI.create("file:///"))).isSameAs(routing);
        Path p = routing.getPath("/a/b/../c");
        assertThat(p.getFileSystem()).isSameAs(routing);
        assertThat(p.getFileSystem().provider()).isSameAs(provider);
        assertThat(p.normalize().toString()).isEqualTo("/a/c");
        assertThat(p.getParent().getFileSystem()).isSameAs(routing);
        assertThat(p.toFile()).isEqualTo(new java.io.File("/a/b/../c"));
        assertThat(RoutingFileSystemProvider.platformPath(p).getFileSystem()).isSameAs(FileSystems.getDefault());
        assertThat(provider.getPath(p.toUri())).isEqualTo(p);
        assertThat(RoutingFileSystemProvider.installed()).as("no flag in this JVM").isEmpty();
    }

    @Test
    void aRoutingTestWithoutTheFlagAbortsNamingIt() {
        assertThatThrownBy(RoutingRequired::provider)
                .isInstanceOf(org.opentest4j.TestAbortedException.class)
                .hasMessageContaining(RoutingFileSystemProvider.FLAG);
    }

    @Test
    void anUnroutedPathGoesToThePlatform() throws IOException {
        Path f = hostDir("plain.txt");
        Files.writeString(f, "on the host");
        assertThat(Files.readString(RoutingFileSystemProvider.platformPath(f))).isEqualTo("on the host");
        try (Stream<Path> list = Files.list(hostDir(""))) {
            List<Path> entries = list.toList();
            assertThat(entries).containsExactly(f);
            assertThat(entries.get(0).getFileSystem()).isSameAs(routing);
        }
    }

    @Test
    void everyFormOfAPathUnderARoutedDirectoryReachesTheTarget() throws IOException {
        try (Route route = provider.routeAbsentDirectory("dev", simDir)) {
            Path dir = route.hostDirectory();
            assertThat(dir.getFileSystem()).isSameAs(routing);
            assertThat(dir.toString()).endsWith("/" + RoutingFileSystemProvider.ABSENT_DIRECTORY_PREFIX + "1/dev");
            Files.writeString(dir.resolve("seg"), "segment");
            Path cwd = routing.getPath("").toAbsolutePath();
            List<Path> forms = List.of(
                    routing.getPath(dir.toString(), "seg"),
                    routing.getPath(dir.toString() + "/x/../seg"),
                    dir.resolve("x").resolve("..").resolve("seg"),
                    dir.resolve("seg").getParent().resolve("seg"),
                    cwd.relativize(dir.resolve("seg")).toAbsolutePath(),
                    routing.getPath(dir.getParent().toString(), "..", dir.getParent().getFileName().toString(),
                            "dev", "seg"),
                    provider.getPath(dir.resolve("seg").toUri()));
            for (Path form : forms) {
                assertThat(Files.readString(form)).as(form.toString()).isEqualTo("segment");
            }
            assertThat(Files.readString(sim.getPath("/test/seg"))).isEqualTo("segment");
            assertThat(Files.exists(RoutingFileSystemProvider.platformPath(dir))).as("nothing on the host").isFalse();
            assertThat(Files.exists(RoutingFileSystemProvider.platformPath(dir).getParent())).isFalse();
        }
    }

    @Test
    void aRoutedDirectoryListsAndWalksAsThePathsTheCallerGave() throws IOException {
        try (Route route = provider.routeAbsentDirectory("dev", simDir)) {
            Path dir = route.hostDirectory();
            Files.createDirectories(dir.resolve("a/b"));
            Files.writeString(dir.resolve("a/b/f"), "x");
            try (Stream<Path> walk = Files.walk(dir)) {
                assertThat(walk.map(Path::toString).toList()).containsExactly(dir.toString(), dir + "/a",
                        dir + "/a/b", dir + "/a/b/f");
            }
            try (var s = Files.newDirectoryStream(dir.resolve("a/b"), "f*")) {
                for (Path p : s) {
                    assertThat(p).isEqualTo(dir.resolve("a/b/f"));
                    assertThat(p.getFileSystem()).isSameAs(routing);
                }
            }
            assertThat(dir.resolve("a/./b").toRealPath()).isEqualTo(dir.resolve("a/b"));
            assertThat(dir.toUri().toString()).endsWith("/dev/");
            assertThat(Files.isSameFile(dir.resolve("a/b/f"), dir.resolve("a/../a/b/f"))).isTrue();
        }
    }

    @Test
    void aRoutedFailureNamesThePathTheCallerGave() {
        try (Route route = provider.routeAbsentDirectory("dev", simDir)) {
            Path missing = route.hostDirectory().resolve("no/such");
            assertThatThrownBy(() -> Files.readAllBytes(missing)).isExactlyInstanceOf(NoSuchFileException.class)
                    .hasMessage(missing.toString());
            assertThatThrownBy(() -> Files.createDirectory(route.hostDirectory()))
                    .isExactlyInstanceOf(FileAlreadyExistsException.class).hasMessage(route.hostDirectory().toString());
        }
    }

    @Test
    void aClosedRouteSendsItsPathsToThePlatformAgain() throws IOException {
        Route route = provider.routeAbsentDirectory("dev", simDir);
        Path f = route.hostDirectory().resolve("f");
        Files.writeString(f, "x");
        route.close();
        route.close();
        assertThat(route.isOpen()).isFalse();
        assertThatThrownBy(() -> Files.readString(f)).isExactlyInstanceOf(NoSuchFileException.class);
        assertThat(Files.readString(sim.getPath("/test/f"))).isEqualTo("x");
    }

    @Test
    void copyAndMoveCrossBetweenARouteAndTheHost() throws IOException {
        try (Route route = provider.routeAbsentDirectory("dev", simDir)) {
            Path host = hostDir("h.txt");
            Files.writeString(host, "from the host");
            Path routed = route.hostDirectory().resolve("r.txt");
            Files.copy(host, routed);
            assertThat(Files.readString(sim.getPath("/test/r.txt"))).isEqualTo("from the host");
            assertThatThrownBy(() -> Files.copy(host, routed)).isExactlyInstanceOf(FileAlreadyExistsException.class);
            assertThatThrownBy(() -> Files.move(routed, hostDir("back.txt"), StandardCopyOption.ATOMIC_MOVE))
                    .isExactlyInstanceOf(AtomicMoveNotSupportedException.class);
            Files.move(routed, hostDir("back.txt"));
            assertThat(Files.exists(sim.getPath("/test/r.txt"))).isFalse();
            assertThat(Files.readString(RoutingFileSystemProvider.platformPath(hostDir("back.txt"))))
                    .isEqualTo("from the host");
            Files.writeString(routed, "inside");
            Files.move(routed, route.hostDirectory().resolve("renamed"), StandardCopyOption.ATOMIC_MOVE);
            assertThat(Files.readString(sim.getPath("/test/renamed"))).isEqualTo("inside");
        }
    }

    @Test
    void aRoutedChannelIsTheTargetsOwnChannelOnItsDevice() throws IOException {
        try (Route route = provider.routeAbsentDirectory("dev", simDir)) {
            long before = device.operations();
            try (FileChannel ch = FileChannel.open(route.hostDirectory().resolve("wal"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap("entry".getBytes(StandardCharsets.UTF_8)), 0);
                assertThat(ch.getClass().getName()).startsWith("io.staleguard.device.fs.internal.");
            }
            assertThat(device.operations()).isGreaterThan(before);
        }
    }

    @Test
    void badRoutesAreRefusedNamingTheBadValue() throws IOException {
        assertThatThrownBy(() -> provider.route(routing.getPath("/"), simDir))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("root directory /");
        assertThatThrownBy(() -> provider.route(hostDir("d"), hostDir("e")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is a path of the default");
        assertThatThrownBy(() -> provider.route(hostDir("d"), sim.getPath("/missing")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/missing is not an existing");
        assertThatThrownBy(() -> provider.route(sim.getPath("/test"), simDir))
                .isInstanceOf(ProviderMismatchException.class);
        assertThatThrownBy(() -> provider.routeAbsentDirectory("a/b", simDir))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a/b'");
        try (Route r = provider.route(hostDir("d"), simDir)) {
            assertThatThrownBy(() -> provider.route(hostDir("d/inner"), simDir))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("overlaps the routed");
            assertThatThrownBy(() -> provider.route(hostDir(""), simDir))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("overlaps the routed");
            assertThat(r.toString()).contains("-> /test");
        }
    }

    @Test
    void twoAbsentDirectoriesHaveParentsOfTheirOwn() throws IOException {
        Path other = Files.createDirectory(sim.getPath("/other"));
        try (Route a = provider.routeAbsentDirectory("dev", simDir);
             Route b = provider.routeAbsentDirectory("dev", other)) {
            assertThat(a.hostDirectory().getParent()).isNotEqualTo(b.hostDirectory().getParent());
            Files.writeString(b.hostDirectory().resolve("f"), "b");
            assertThat(Files.readString(sim.getPath("/other/f"))).isEqualTo("b");
            assertThat(Files.exists(sim.getPath("/test/f"))).isFalse();
        }
    }
}
