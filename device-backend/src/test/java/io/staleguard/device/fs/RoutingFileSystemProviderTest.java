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
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.spi.FileSystemProvider;
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

    /** What the platform's no-mode checkAccess throws for {@code p}, or null when it returns. */
    private static FileSystemException platformFailure(FileSystemProvider p, Path path) {
        try {
            p.checkAccess(path);
            return null;
        } catch (FileSystemException e) {
            return e;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void probingAnUnroutedPathFailsAsThePlatformDoes() throws IOException {
        FileSystemProvider platform = FileSystems.getDefault().provider();
        Path file = Files.writeString(hostDir("file"), "x");
        Files.createSymbolicLink(hostDir("dangling"), hostDir("nowhere"));
        List<Path> probes = List.of(
                file,
                hostDir("missing"),
                hostDir("no/such/dir/missing"),
                hostDir("file/child"),
                hostDir("x".repeat(256)),
                hostDir("\u00e9".repeat(100)),
                hostDir("dangling"),
                hostDir("a/../missing"),
                routing.getPath("relative-missing-" + System.nanoTime()),
                routing.getPath(""));
        for (Path probe : probes) {
            Path host = RoutingFileSystemProvider.platformPath(probe);
            FileSystemException expected = platformFailure(platform, host);
            FileSystemException actual = platformFailure(provider, probe);
            assertThat(Files.exists(probe)).as(probe.toString()).isEqualTo(Files.exists(host));
            assertThat(Files.notExists(probe)).as(probe.toString()).isEqualTo(Files.notExists(host));
            if (expected == null) {
                assertThat(actual).as(probe.toString()).isNull();
                continue;
            }
            assertThat(actual).as(probe.toString()).isInstanceOf(expected.getClass());
            if (!(expected instanceof NoSuchFileException)) {
                assertThat(actual).as(probe.toString()).isExactlyInstanceOf(expected.getClass());
            }
            assertThat(actual.getFile()).as(probe.toString()).isEqualTo(probe.toString());
            assertThat(actual.getOtherFile()).as(probe.toString()).isEqualTo(expected.getOtherFile());
            assertThat(actual.getReason()).as(probe.toString()).isEqualTo(expected.getReason());
            assertThat(actual.getMessage()).as(probe.toString()).isEqualTo(expected.getMessage());
        }
    }

    @Test
    void aFileMissingFromAnExistingDirectoryCostsNoStackTrace() {
        FileSystemException missing = platformFailure(provider, hostDir("missing"));
        assertThat(missing).isInstanceOf(NoSuchFileException.class).hasMessage(hostDir("missing").toString());
        assertThat(missing.getStackTrace()).as("the cheap answer").isEmpty();
        FileSystemException deeper = platformFailure(provider, hostDir("no/such"));
        assertThat(deeper).isExactlyInstanceOf(NoSuchFileException.class);
        assertThat(deeper.getStackTrace()).as("the platform's own exception").isNotEmpty();
    }

    @Test
    void existsAnswersAsFilesExistsForHostAndRoutedPaths() throws IOException {
        Path file = Files.writeString(hostDir("file"), "x");
        Path dangling = Files.createSymbolicLink(hostDir("dangling"), hostDir("nowhere"));
        assertThat(provider.exists(file)).isTrue();
        assertThat(provider.exists(hostDir("missing"))).isFalse();
        assertThat(provider.exists(dangling)).isFalse();
        assertThat(provider.exists(dangling, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isTrue();
        try (Route route = provider.routeAbsentDirectory("dev", simDir)) {
            Path routed = Files.writeString(route.hostDirectory().resolve("seg"), "s");
            assertThat(provider.exists(routed)).as("on the simulated filesystem").isTrue();
            assertThat(provider.exists(route.hostDirectory().resolve("none"))).isFalse();
            assertThat(Files.exists(RoutingFileSystemProvider.platformPath(routed))).as("not on the host").isFalse();
        }
    }

    @Test
    void pathArithmeticWrapsEachResultOnceAndKeepsTheWrapperItHas() {
        Path dir = routing.getPath("/a/b");
        Path platformDir = RoutingFileSystemProvider.platformPath(dir);
        assertThat(dir.resolve("c")).isEqualTo(routing.getPath("/a/b/c"));
        assertThat(dir.resolve("c").getFileSystem()).isSameAs(routing);
        assertThat(dir.resolve("/x").toString()).isEqualTo("/x");
        assertThat(dir.resolveSibling("s")).isEqualTo(routing.getPath("/a/s"));
        assertThat(dir.resolveSibling("s").getFileSystem()).isSameAs(routing);
        assertThat(routing.getPath("r").resolveSibling("s")).isEqualTo(routing.getPath("s"));
        assertThat(dir.resolveSibling(routing.getPath("t"))).isEqualTo(routing.getPath("/a/t"));
        assertThat(dir.resolve(platformDir.getFileSystem().getPath("p")).getFileSystem()).isSameAs(routing);
        assertThat(dir.resolve("")).isEqualTo(dir);
        assertThat(dir.normalize()).isSameAs(dir);
        assertThat(dir.toAbsolutePath()).isSameAs(dir);
        assertThat(routing.getPath("/a/./b").normalize()).isEqualTo(dir).isNotSameAs(dir);
        Path absolute = routing.getPath("/x/y");
        assertThat(dir.resolve(absolute)).isSameAs(absolute);
        assertThat(dir.resolveSibling(absolute)).isSameAs(absolute);
        assertThat(routing.getPath("n").getFileName()).isEqualTo(routing.getPath("n"));
        assertThat(dir.getFileName().getFileSystem()).isSameAs(routing);
        assertThat(dir.startsWith("/a")).isTrue();
        assertThat(dir.startsWith("/a/b/c")).isFalse();
        assertThat(dir.endsWith("b")).isTrue();
        assertThat(dir.endsWith("a")).isFalse();
        assertThat(dir.compareTo(routing.getPath("/a/c"))).isNegative();
        assertThat(dir.hashCode()).isEqualTo(routing.getPath("/a/b").hashCode());
        assertThatThrownBy(() -> dir.resolve("bad\0name")).isInstanceOf(java.nio.file.InvalidPathException.class)
                .hasMessageContaining("bad");
        assertThatThrownBy(() -> dir.resolveSibling("bad\0name"))
                .isInstanceOf(java.nio.file.InvalidPathException.class);
    }

    @Test
    void theRouteCheckTellsARoutedDirectoryFromItsNeighbours() throws IOException {
        try (Route route = provider.routeAbsentDirectory("dev", simDir)) {
            String dir = route.hostDirectory().toString();
            Files.writeString(route.hostDirectory().resolve(".hidden"), "routed");
            assertThat(Files.readString(routing.getPath(dir + "/.hidden"))).isEqualTo("routed");
            assertThat(Files.readString(routing.getPath(dir + "//./.hidden"))).isEqualTo("routed");
            assertThat(Files.readString(routing.getPath(dir + "/"+ "../dev/.hidden"))).isEqualTo("routed");
            assertThat(Files.isDirectory(routing.getPath(dir + "/"))).isTrue();
            assertThat(Files.exists(routing.getPath(dir + "x"))).as("a neighbour sharing the prefix").isFalse();
            assertThat(Files.exists(routing.getPath(dir.substring(0, dir.length() - 1)))).isFalse();
            assertThat(Files.exists(sim.getPath("/test/.hidden"))).isTrue();
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
