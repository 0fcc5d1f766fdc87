package io.staleguard.device.fs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.staleguard.device.sim.SimulatedDevice;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What storage code sees of a filesystem through NIO, as the JDK shows it on Linux on the default filesystem: the
 * same calls give the same results and the same exceptions (type, and the path or reason text the JDK sets). A
 * filesystem's test extends this class and supplies {@link #newRoot()}, a fresh empty directory; the plain host
 * filesystem's test is the reference.
 */
public abstract class FileSystemContractTest {

    private static SimulatedFileSystem foreign;

    /** A fresh, empty, writable directory of the filesystem under test. */
    protected abstract Path newRoot() throws IOException;

    /**
     * A path of another provider, for the {@link ProviderMismatchException} cases: by default a path of a small
     * simulated filesystem when the filesystem under test is the default one, else a path of the default one.
     */
    protected Path foreignPath() {
        if (root.getFileSystem() != FileSystems.getDefault()) {
            return Path.of("/");
        }
        synchronized (FileSystemContractTest.class) {
            if (foreign == null) {
                foreign = SimulatedFileSystem.on(SimulatedDevice.builder().capacity(1 << 20).seed(1).build());
            }
            return foreign.getPath("/x");
        }
    }

    @AfterAll
    static void closeForeign() throws IOException {
        synchronized (FileSystemContractTest.class) {
            if (foreign != null) {
                foreign.close();
                foreign.device().close();
                foreign = null;
            }
        }
    }

    /** The directory of this test. */
    protected Path root;

    @BeforeEach
    void makeRoot() throws IOException {
        root = newRoot();
    }

    private Path p(String relative) {
        return root.resolve(relative);
    }

    private FileSystem fs() {
        return root.getFileSystem();
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String reason(Throwable t) {
        return ((FileSystemException) t).getReason();
    }

    // ---- paths ----

    @Test
    void parsingDropsRepeatedAndTrailingSlashes() {
        assertThat(fs().getPath("a//b/").toString()).isEqualTo("a/b");
        assertThat(fs().getPath("//a").toString()).isEqualTo("/a");
        assertThat(fs().getPath("a", "", "b", "c/").toString()).isEqualTo("a/b/c");
        assertThat(fs().getPath("").toString()).isEmpty();
    }

    @Test
    void aNulCharacterIsAnInvalidPath() {
        Throwable t = catchThrowable(() -> fs().getPath("a\u0000b"));
        assertThat(t).isExactlyInstanceOf(InvalidPathException.class);
        assertThat(((InvalidPathException) t).getReason()).isEqualTo("Nul character not allowed");
        assertThat(((InvalidPathException) t).getInput()).isEqualTo("a\u0000b");
    }

    @Test
    void normalizeRemovesDotsAsUnixDoes() {
        assertThat(fs().getPath("a/./b/../c").normalize().toString()).isEqualTo("a/c");
        assertThat(fs().getPath("/../a").normalize().toString()).isEqualTo("/a");
        assertThat(fs().getPath("../a/..").normalize().toString()).isEqualTo("..");
        assertThat(fs().getPath("a/..").normalize().toString()).isEmpty();
    }

    @Test
    void resolveJoinsRelativeAndKeepsAbsolute() {
        Path a = fs().getPath("/x/y");
        assertThat(a.resolve("z").toString()).isEqualTo("/x/y/z");
        assertThat(a.resolve("/q").toString()).isEqualTo("/q");
        assertThat(a.resolve("")).isEqualTo(a);
        assertThat(fs().getPath("").resolve("k").toString()).isEqualTo("k");
        assertThat(a.resolveSibling("w").toString()).isEqualTo("/x/w");
        assertThat(fs().getPath("/").resolve("r").toString()).isEqualTo("/r");
    }

    @Test
    void relativizeWalksUpAndDown() {
        Path a = fs().getPath("/a/b");
        assertThat(a.relativize(fs().getPath("/a/c/d")).toString()).isEqualTo("../c/d");
        assertThat(a.relativize(a).toString()).isEmpty();
        assertThat(fs().getPath("a").relativize(fs().getPath("a/b/c")).toString()).isEqualTo("b/c");
        assertThatThrownBy(() -> a.relativize(fs().getPath("r"))).isExactlyInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void startsWithAndEndsWithCompareWholeNames() {
        Path a = fs().getPath("/a/bc/d");
        assertThat(a.startsWith("/a")).isTrue();
        assertThat(a.startsWith("/a/")).isTrue();
        assertThat(a.startsWith("/a/b")).isFalse();
        assertThat(a.startsWith("a")).isFalse();
        assertThat(a.endsWith("bc/d")).isTrue();
        assertThat(a.endsWith("c/d")).isFalse();
        assertThat(a.endsWith("/a/bc/d")).isTrue();
        assertThat(fs().getPath("a").startsWith("")).isFalse();
    }

    @Test
    void namesParentsAndRoots() {
        Path abs = fs().getPath("/a/b");
        assertThat(abs.getNameCount()).isEqualTo(2);
        assertThat(abs.getFileName().toString()).isEqualTo("b");
        assertThat(abs.getParent().toString()).isEqualTo("/a");
        assertThat(abs.getParent().getParent().toString()).isEqualTo("/");
        assertThat(abs.getRoot().toString()).isEqualTo("/");
        Path rootPath = fs().getPath("/");
        assertThat(rootPath.getNameCount()).isZero();
        assertThat(rootPath.getFileName()).isNull();
        assertThat(rootPath.getParent()).isNull();
        Path rel = fs().getPath("a");
        assertThat(rel.getParent()).isNull();
        assertThat(rel.getRoot()).isNull();
        assertThat(rel.getFileName()).isEqualTo(rel);
        assertThat(fs().getPath("").getNameCount()).isEqualTo(1);
    }

    @Test
    void iterationAndSubpathGiveTheNames() {
        Path a = fs().getPath("/a/b/c");
        List<String> names = new ArrayList<>();
        a.forEach(n -> names.add(n.toString()));
        assertThat(names).containsExactly("a", "b", "c");
        assertThat(a.getName(1).toString()).isEqualTo("b");
        assertThat(a.subpath(1, 3).toString()).isEqualTo("b/c");
        assertThatThrownBy(() -> a.getName(3)).isExactlyInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.subpath(2, 1)).isExactlyInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void equalityIsByTextAndFilesystem() {
        assertThat(fs().getPath("/a//b")).isEqualTo(fs().getPath("/a/b")).hasSameHashCodeAs(fs().getPath("/a/b"));
        assertThat(fs().getPath("a")).isNotEqualTo(fs().getPath("/a"));
        assertThat(fs().getPath("/a").compareTo(fs().getPath("/b"))).isNegative();
        assertThat(fs().getPath("a/b")).isNotEqualTo(fs().getPath("a/b").normalize().resolve("c"));
    }

    @Test
    void toAbsolutePathAndToUriRoundTrip() throws IOException {
        Path f = Files.createFile(p("u.txt"));
        assertThat(f.toAbsolutePath()).isEqualTo(f);
        assertThat(fs().getPath("rel").toAbsolutePath().isAbsolute()).isTrue();
        assertThat(fs().provider().getPath(f.toUri())).isEqualTo(f);
        assertThat(f.toUri().getScheme()).isEqualTo(fs().provider().getScheme());
        assertThat(root.toUri().getPath()).endsWith("/");
    }

    @Test
    void aPathOfAnotherProviderIsAMismatch() {
        Path other = foreignPath();
        assertThatThrownBy(() -> root.resolve(other)).isExactlyInstanceOf(ProviderMismatchException.class);
        assertThatThrownBy(() -> root.relativize(other)).isExactlyInstanceOf(ProviderMismatchException.class);
        assertThat(root.startsWith(other)).isFalse();
        assertThat(root.equals(other)).isFalse();
    }

    @Test
    void toRealPathOfAMissingFileIsNoSuchFile() {
        Path missing = p("nope");
        Throwable t = catchThrowable(missing::toRealPath);
        assertThat(t).isExactlyInstanceOf(NoSuchFileException.class);
        assertThat(((NoSuchFileException) t).getFile()).isEqualTo(missing.toString());
    }

    // ---- Files: whole-file calls ----

    @Test
    void writeAndReadAllBytesRoundTrip() throws IOException {
        byte[] data = random(10_000, 1);
        Path f = p("data.bin");
        Files.write(f, data);
        assertThat(Files.readAllBytes(f)).isEqualTo(data);
        assertThat(Files.size(f)).isEqualTo(10_000);
    }

    @Test
    void writeStringAndReadString() throws IOException {
        Path f = p("s.txt");
        Files.writeString(f, "héllo\nworld");
        assertThat(Files.readString(f)).isEqualTo("héllo\nworld");
        assertThat(Files.readAllLines(f)).containsExactly("héllo", "world");
    }

    @Test
    void streamsRoundTrip() throws IOException {
        Path f = p("stream.bin");
        byte[] data = random(70_000, 2);
        try (OutputStream out = Files.newOutputStream(f)) {
            out.write(data, 0, 1);
            out.write(data, 1, data.length - 1);
        }
        try (InputStream in = Files.newInputStream(f)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void writeTruncatesAndAppendAppends() throws IOException {
        Path f = p("t.txt");
        Files.writeString(f, "longer text");
        Files.writeString(f, "short");
        assertThat(Files.readString(f)).isEqualTo("short");
        Files.writeString(f, "+more", StandardOpenOption.APPEND);
        assertThat(Files.readString(f)).isEqualTo("short+more");
    }

    @Test
    void readingAMissingFileIsNoSuchFile() {
        Path f = p("missing");
        Throwable t = catchThrowable(() -> Files.readAllBytes(f));
        assertThat(t).isExactlyInstanceOf(NoSuchFileException.class);
        assertThat(((NoSuchFileException) t).getFile()).isEqualTo(f.toString());
        assertThat(t.getMessage()).isEqualTo(f.toString());
    }

    @Test
    void createNewOnAnExistingFileIsFileAlreadyExists() throws IOException {
        Path f = Files.createFile(p("e"));
        Throwable t = catchThrowable(() -> Files.newByteChannel(f, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW));
        assertThat(t).isExactlyInstanceOf(FileAlreadyExistsException.class);
        assertThat(((FileAlreadyExistsException) t).getFile()).isEqualTo(f.toString());
        assertThatThrownBy(() -> Files.createFile(f)).isExactlyInstanceOf(FileAlreadyExistsException.class);
    }

    @Test
    void createKeepsAndTruncateExistingEmpties() throws IOException {
        Path f = p("c");
        Files.writeString(f, "abc");
        try (SeekableByteChannel ch = Files.newByteChannel(f, StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
            assertThat(ch.size()).isEqualTo(3);
        }
        try (SeekableByteChannel ch = Files.newByteChannel(f, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            assertThat(ch.size()).isZero();
        }
        assertThat(Files.size(f)).isZero();
    }

    @Test
    void createOptionsWithoutWriteDoNotCreate() {
        Path f = p("ro-create");
        assertThatThrownBy(() -> FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.CREATE))
                .isExactlyInstanceOf(NoSuchFileException.class);
        assertThat(Files.exists(f)).isFalse();
    }

    @Test
    void aMissingParentIsNoSuchFile() {
        Path f = p("no/such/dir/file");
        Throwable t = catchThrowable(() -> Files.createFile(f));
        assertThat(t).isExactlyInstanceOf(NoSuchFileException.class);
        assertThat(((NoSuchFileException) t).getFile()).isEqualTo(f.toString());
    }

    @Test
    void aFileAsParentIsNotADirectory() throws IOException {
        Files.createFile(p("plain"));
        Path f = p("plain/child");
        Throwable t = catchThrowable(() -> Files.createFile(f));
        assertThat(t).isExactlyInstanceOf(FileSystemException.class);
        assertThat(reason(t)).isEqualTo("Not a directory");
        assertThat(((FileSystemException) t).getFile()).isEqualTo(f.toString());
        assertThat(catchThrowable(() -> Files.readAllBytes(f))).isExactlyInstanceOf(FileSystemException.class);
    }

    @Test
    void aNameOver255BytesIsFileNameTooLong() throws IOException {
        Path ok = p("n".repeat(255));
        Files.createFile(ok);
        assertThat(Files.exists(ok)).isTrue();
        Path tooLong = p("n".repeat(256));
        Throwable t = catchThrowable(() -> Files.createFile(tooLong));
        assertThat(t).isExactlyInstanceOf(FileSystemException.class);
        assertThat(reason(t)).isEqualTo("File name too long");
        assertThat(catchThrowable(() -> Files.createDirectory(p("é".repeat(128))))).isExactlyInstanceOf(FileSystemException.class);
        assertThat(Files.exists(tooLong)).isFalse();
    }

    @Test
    void readingADirectoryIsIsADirectory() throws IOException {
        Path d = Files.createDirectory(p("d"));
        Throwable t = catchThrowable(() -> Files.readAllBytes(d));
        assertThat(t).isExactlyInstanceOf(IOException.class).hasMessage("Is a directory");
        Throwable w = catchThrowable(() -> Files.newOutputStream(d));
        assertThat(w).isExactlyInstanceOf(FileSystemException.class);
        assertThat(reason(w)).isEqualTo("Is a directory");
    }

    @Test
    void anUnknownOpenOptionIsUnsupported() {
        OpenOption odd = new OpenOption() {
            @Override
            public String toString() {
                return "ODD";
            }
        };
        assertThatThrownBy(() -> FileChannel.open(p("x"), StandardOpenOption.WRITE, StandardOpenOption.CREATE, odd))
                .isExactlyInstanceOf(UnsupportedOperationException.class).hasMessage("ODD not supported");
    }

    @Test
    void tempFilesAndDirectoriesAreCreatedInTheirDirectory() throws IOException {
        Path f = Files.createTempFile(root, "seg", ".tmp");
        Path d = Files.createTempDirectory(root, "run");
        assertThat(f.getParent()).isEqualTo(root);
        assertThat(f.getFileName().toString()).startsWith("seg").endsWith(".tmp");
        assertThat(Files.isRegularFile(f)).isTrue();
        assertThat(Files.isDirectory(d)).isTrue();
        // The JDK asks for rw------- only on the default filesystem (TempFileHelper), so only the owner's bits agree.
        assertThat(Files.getPosixFilePermissions(f)).contains(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void bufferedWritersReadersAndLines() throws IOException {
        Path f = p("lines.txt");
        try (var w = Files.newBufferedWriter(f)) {
            for (int i = 0; i < 1000; i++) {
                w.write("line " + i + "\n");
            }
        }
        try (var r = Files.newBufferedReader(f)) {
            assertThat(r.readLine()).isEqualTo("line 0");
        }
        try (Stream<String> lines = Files.lines(f)) {
            assertThat(lines.count()).isEqualTo(1000);
        }
        assertThat(Files.getOwner(f)).isNotNull();
    }

    // ---- FileChannel ----

    private FileChannel rw(String name) throws IOException {
        return FileChannel.open(p(name), StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE);
    }

    @Test
    void positionalWritesAndReadsLeaveThePosition() throws IOException {
        try (FileChannel ch = rw("pos")) {
            assertThat(ch.write(ByteBuffer.wrap("hello".getBytes(UTF_8)), 3)).isEqualTo(5);
            assertThat(ch.position()).isZero();
            assertThat(ch.size()).isEqualTo(8);
            ByteBuffer b = ByteBuffer.allocate(5);
            assertThat(ch.read(b, 3)).isEqualTo(5);
            assertThat(new String(b.array(), UTF_8)).isEqualTo("hello");
            assertThat(ch.position()).isZero();
        }
    }

    @Test
    void relativeCallsAdvanceThePosition() throws IOException {
        try (FileChannel ch = rw("rel")) {
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            ch.write(ByteBuffer.wrap(new byte[] {4, 5}));
            assertThat(ch.position()).isEqualTo(5);
            ch.position(1);
            ByteBuffer b = ByteBuffer.allocate(3);
            assertThat(ch.read(b)).isEqualTo(3);
            assertThat(b.array()).containsExactly(2, 3, 4);
            assertThat(ch.position()).isEqualTo(4);
        }
    }

    @Test
    void readingAtOrPastTheEndIsMinusOne() throws IOException {
        try (FileChannel ch = rw("eof")) {
            ch.write(ByteBuffer.wrap(new byte[10]));
            assertThat(ch.read(ByteBuffer.allocate(4), 10)).isEqualTo(-1);
            assertThat(ch.read(ByteBuffer.allocate(4), 1000)).isEqualTo(-1);
            assertThat(ch.read(ByteBuffer.allocate(4))).isEqualTo(-1);
            assertThat(ch.read(ByteBuffer.allocate(0), 0)).isZero();
            ByteBuffer b = ByteBuffer.allocate(20);
            assertThat(ch.read(b, 6)).isEqualTo(4);
        }
    }

    @Test
    void aWritePastTheEndLeavesAZeroHole() throws IOException {
        try (FileChannel ch = rw("hole")) {
            ch.write(ByteBuffer.wrap(new byte[] {7}), 100_000);
            assertThat(ch.size()).isEqualTo(100_001);
            ByteBuffer b = ByteBuffer.allocate(100_001);
            while (b.hasRemaining() && ch.read(b, b.position()) > 0) {
                // keep reading
            }
            byte[] expected = new byte[100_001];
            expected[100_000] = 7;
            assertThat(b.array()).isEqualTo(expected);
        }
    }

    @Test
    void scatterAndGather() throws IOException {
        try (FileChannel ch = rw("sg")) {
            ByteBuffer[] out = {ByteBuffer.wrap(new byte[] {1, 2}), ByteBuffer.wrap(new byte[] {3}), ByteBuffer.wrap(new byte[] {4, 5, 6})};
            assertThat(ch.write(out)).isEqualTo(6);
            assertThat(ch.position()).isEqualTo(6);
            ch.position(0);
            ByteBuffer a = ByteBuffer.allocate(4);
            ByteBuffer b = ByteBuffer.allocate(4);
            assertThat(ch.read(new ByteBuffer[] {a, b})).isEqualTo(6);
            assertThat(a.array()).containsExactly(1, 2, 3, 4);
            assertThat(b.position()).isEqualTo(2);
            assertThat(ch.read(new ByteBuffer[] {ByteBuffer.allocate(1)})).isEqualTo(-1);
        }
    }

    @Test
    void appendWritesAtTheEnd() throws IOException {
        Path f = p("app");
        Files.writeString(f, "abc");
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.APPEND)) {
            assertThat(ch.position()).isEqualTo(3);
            ch.write(ByteBuffer.wrap("de".getBytes(UTF_8)));
            assertThat(ch.position()).isEqualTo(5);
            ch.position(0);
            ch.write(ByteBuffer.wrap("f".getBytes(UTF_8)));
        }
        assertThat(Files.readString(f)).isEqualTo("abcdef");
    }

    @Test
    void conflictingOptionsAreIllegal() {
        assertThatThrownBy(() -> FileChannel.open(p("x"), StandardOpenOption.READ, StandardOpenOption.APPEND))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessage("READ + APPEND not allowed");
        assertThatThrownBy(() -> FileChannel.open(p("x"), StandardOpenOption.APPEND, StandardOpenOption.TRUNCATE_EXISTING))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessage("APPEND + TRUNCATE_EXISTING not allowed");
    }

    @Test
    void aReadOnlyChannelCannotWrite() throws IOException {
        Path f = Files.createFile(p("ro"));
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            assertThatThrownBy(() -> ch.write(ByteBuffer.allocate(1))).isExactlyInstanceOf(NonWritableChannelException.class);
            assertThatThrownBy(() -> ch.write(ByteBuffer.allocate(1), 0)).isExactlyInstanceOf(NonWritableChannelException.class);
            assertThatThrownBy(() -> ch.truncate(0)).isExactlyInstanceOf(NonWritableChannelException.class);
        }
    }

    @Test
    void aWriteOnlyChannelCannotRead() throws IOException {
        try (FileChannel ch = FileChannel.open(p("wo"), StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
            assertThatThrownBy(() -> ch.read(ByteBuffer.allocate(1))).isExactlyInstanceOf(NonReadableChannelException.class);
            assertThatThrownBy(() -> ch.read(ByteBuffer.allocate(1), 0)).isExactlyInstanceOf(NonReadableChannelException.class);
        }
    }

    @Test
    void aClosedChannelIsClosed() throws IOException {
        FileChannel ch = rw("closed");
        ch.close();
        assertThat(ch.isOpen()).isFalse();
        assertThatThrownBy(() -> ch.read(ByteBuffer.allocate(1))).isExactlyInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> ch.write(ByteBuffer.allocate(1), 0)).isExactlyInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(ch::size).isExactlyInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(ch::position).isExactlyInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> ch.force(true)).isExactlyInstanceOf(ClosedChannelException.class);
        ch.close();
    }

    @Test
    void truncateShrinksMovesThePositionAndRegrowsWithZeros() throws IOException {
        try (FileChannel ch = rw("tr")) {
            ch.write(ByteBuffer.wrap(random(9000, 3)));
            assertThat(ch.position()).isEqualTo(9000);
            ch.truncate(5000);
            assertThat(ch.size()).isEqualTo(5000);
            assertThat(ch.position()).isEqualTo(5000);
            ch.write(ByteBuffer.wrap(new byte[] {9}), 8000);
            ByteBuffer b = ByteBuffer.allocate(3000);
            assertThat(ch.read(b, 5000)).isEqualTo(3000);
            assertThat(b.array()).containsOnly(0);
        }
    }

    @Test
    void truncateToALargerSizeChangesNothing() throws IOException {
        try (FileChannel ch = rw("tr2")) {
            ch.write(ByteBuffer.wrap(new byte[100]));
            ch.position(10);
            ch.truncate(1000);
            assertThat(ch.size()).isEqualTo(100);
            assertThat(ch.position()).isEqualTo(10);
            assertThatThrownBy(() -> ch.truncate(-1)).isExactlyInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void forceSucceedsWithAndWithoutMetadata() throws IOException {
        try (FileChannel ch = rw("force")) {
            ch.write(ByteBuffer.wrap(new byte[4096]));
            ch.force(false);
            ch.force(true);
        }
    }

    @Test
    void syncWritesAreDurableAtOnce() throws IOException {
        try (FileChannel ch = FileChannel.open(p("sync"), StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.SYNC)) {
            assertThat(ch.write(ByteBuffer.wrap(new byte[10]))).isEqualTo(10);
        }
        assertThat(Files.size(p("sync"))).isEqualTo(10);
    }

    @Test
    void transferToAndFromCopyBetweenFiles() throws IOException {
        byte[] data = random(200_000, 4);
        Files.write(p("src"), data);
        try (FileChannel in = FileChannel.open(p("src"));
             FileChannel out = FileChannel.open(p("dst"), StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
            long done = 0;
            while (done < data.length) {
                done += in.transferTo(done, data.length - done, out);
            }
            assertThat(in.transferTo(data.length + 1, 10, out)).isZero();
        }
        assertThat(Files.readAllBytes(p("dst"))).isEqualTo(data);
        try (FileChannel in = FileChannel.open(p("src"));
             FileChannel out = FileChannel.open(p("dst2"), StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
            long done = 0;
            while (done < data.length) {
                done += out.transferFrom(in, done, data.length - done);
            }
            assertThat(out.transferFrom(in, data.length + 5, 10)).isZero();
        }
        assertThat(Files.readAllBytes(p("dst2"))).isEqualTo(data);
    }

    @Test
    void overlappingLocksInOneProcessAreRefused() throws IOException {
        try (FileChannel a = rw("lock"); FileChannel b = rw("lock")) {
            FileLock l = a.lock(0, 100, false);
            assertThat(l.isValid()).isTrue();
            assertThatThrownBy(() -> b.tryLock(50, 100, false)).isExactlyInstanceOf(OverlappingFileLockException.class);
            assertThatThrownBy(() -> a.lock(0, 10, true)).isExactlyInstanceOf(OverlappingFileLockException.class);
            FileLock other = b.tryLock(100, 10, false);
            assertThat(other).isNotNull();
            l.release();
            assertThat(l.isValid()).isFalse();
            b.tryLock(0, 10, false).release();
        }
    }

    @Test
    void closingAChannelReleasesItsLocks() throws IOException {
        FileLock l;
        try (FileChannel a = rw("lock2")) {
            l = a.lock();
        }
        assertThat(l.isValid()).isFalse();
        try (FileChannel b = rw("lock2")) {
            assertThat(b.tryLock()).isNotNull();
        }
    }

    @Test
    void lockModesMustMatchTheChannel() throws IOException {
        Path f = Files.createFile(p("lockmode"));
        try (FileChannel r = FileChannel.open(f, StandardOpenOption.READ);
             FileChannel w = FileChannel.open(f, StandardOpenOption.WRITE)) {
            assertThatThrownBy(() -> r.tryLock(0, 1, false)).isExactlyInstanceOf(NonWritableChannelException.class);
            assertThatThrownBy(() -> w.tryLock(0, 1, true)).isExactlyInstanceOf(NonReadableChannelException.class);
        }
    }

    @Test
    void aLargeFileRoundTripsInPieces() throws IOException {
        byte[] a = random(3 << 20, 5);
        byte[] b = random(1 << 20, 6);
        try (FileChannel x = rw("big-a"); FileChannel y = rw("big-b")) {
            for (int off = 0; off < a.length; off += 65536) {
                ByteBuffer src = ByteBuffer.wrap(a, off, 65536);
                while (src.hasRemaining()) {
                    x.write(src, src.position());
                }
                if (off < b.length) {
                    ByteBuffer s2 = ByteBuffer.wrap(b, off, 65536);
                    while (s2.hasRemaining()) {
                        y.write(s2, s2.position());
                    }
                }
            }
        }
        assertThat(Files.readAllBytes(p("big-a"))).isEqualTo(a);
        assertThat(Files.readAllBytes(p("big-b"))).isEqualTo(b);
    }

    @Test
    void twoChannelsOnOneFileSeeEachOthersWrites() throws IOException {
        try (FileChannel a = rw("shared"); FileChannel b = rw("shared")) {
            a.write(ByteBuffer.wrap("xyz".getBytes(UTF_8)), 0);
            assertThat(b.size()).isEqualTo(3);
            ByteBuffer r = ByteBuffer.allocate(3);
            b.read(r, 0);
            assertThat(new String(r.array(), UTF_8)).isEqualTo("xyz");
        }
    }

    @Test
    void deleteOnCloseUnlinksTheNameAtOnceAsLinuxDoes() throws IOException {
        Path f = p("doc");
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.CREATE, StandardOpenOption.DELETE_ON_CLOSE)) {
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5}), 0);
            assertThat(Files.exists(f)).isFalse();
            ByteBuffer b = ByteBuffer.allocate(5);
            assertThat(ch.read(b, 0)).isEqualTo(5);
            assertThat(b.array()).containsExactly(1, 2, 3, 4, 5);
        }
        assertThat(Files.exists(f)).isFalse();
    }

    @Test
    void anOpenChannelOutlivesItsName() throws IOException {
        Path f = p("unlinked");
        Files.writeString(f, "still here");
        try (FileChannel ch = FileChannel.open(f)) {
            Files.delete(f);
            assertThat(Files.exists(f)).isFalse();
            ByteBuffer b = ByteBuffer.allocate(10);
            assertThat(ch.read(b, 0)).isEqualTo(10);
            assertThat(new String(b.array(), UTF_8)).isEqualTo("still here");
        }
    }

    // ---- asynchronous channels ----

    @Test
    void asynchronousWriteAndReadRoundTrip() throws Exception {
        byte[] data = random(20_000, 7);
        try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(p("aio"), StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
            ByteBuffer src = ByteBuffer.wrap(data);
            while (src.hasRemaining()) {
                src.position(src.position() + 0);
                int n = ch.write(src.duplicate(), src.position()).get(10, TimeUnit.SECONDS);
                src.position(src.position() + n);
            }
            assertThat(ch.size()).isEqualTo(data.length);
            ByteBuffer dst = ByteBuffer.allocate(data.length);
            while (dst.hasRemaining()) {
                int n = ch.read(dst, dst.position()).get(10, TimeUnit.SECONDS);
                if (n < 0) {
                    break;
                }
            }
            assertThat(dst.array()).isEqualTo(data);
            assertThat(ch.read(ByteBuffer.allocate(1), data.length).get(10, TimeUnit.SECONDS)).isEqualTo(-1);
        }
    }

    @Test
    void asynchronousCompletionHandlersAreCalled() throws Exception {
        try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(p("aio2"), StandardOpenOption.WRITE,
                StandardOpenOption.CREATE)) {
            CompletableFuture<Integer> done = new CompletableFuture<>();
            ch.write(ByteBuffer.wrap(new byte[100]), 0, "a", new CompletionHandler<Integer, String>() {
                @Override
                public void completed(Integer result, String attachment) {
                    done.complete(result);
                }

                @Override
                public void failed(Throwable exc, String attachment) {
                    done.completeExceptionally(exc);
                }
            });
            assertThat(done.get(10, TimeUnit.SECONDS)).isEqualTo(100);
        }
    }

    @Test
    void asynchronousModesAndClosingAreChecked() throws IOException {
        Path f = Files.createFile(p("aio3"));
        AsynchronousFileChannel ch = AsynchronousFileChannel.open(f, StandardOpenOption.READ);
        assertThatThrownBy(() -> ch.write(ByteBuffer.allocate(1), 0)).isExactlyInstanceOf(NonWritableChannelException.class);
        ch.close();
        Throwable t = catchThrowable(() -> ch.read(ByteBuffer.allocate(1), 0).get());
        assertThat(t).isInstanceOf(ExecutionException.class).hasCauseExactlyInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> AsynchronousFileChannel.open(f, StandardOpenOption.WRITE, StandardOpenOption.APPEND))
                .isExactlyInstanceOf(UnsupportedOperationException.class);
    }

    // ---- directories ----

    @Test
    void createDirectoryMakesADirectory() throws IOException {
        Path d = Files.createDirectory(p("dir"));
        assertThat(Files.isDirectory(d)).isTrue();
        assertThat(Files.isRegularFile(d)).isFalse();
        assertThat(Files.exists(d)).isTrue();
    }

    @Test
    void createDirectoryTwiceIsFileAlreadyExists() throws IOException {
        Path d = Files.createDirectory(p("dir2"));
        Throwable t = catchThrowable(() -> Files.createDirectory(d));
        assertThat(t).isExactlyInstanceOf(FileAlreadyExistsException.class);
        assertThat(((FileAlreadyExistsException) t).getFile()).isEqualTo(d.toString());
    }

    @Test
    void createDirectoryWithoutParentIsNoSuchFile() {
        Path d = p("a/b");
        Throwable t = catchThrowable(() -> Files.createDirectory(d));
        assertThat(t).isExactlyInstanceOf(NoSuchFileException.class);
        assertThat(((NoSuchFileException) t).getFile()).isEqualTo(d.toString());
    }

    @Test
    void createDirectoriesMakesEveryLevelAndIsIdempotent() throws IOException {
        Path d = p("x/y/z");
        Files.createDirectories(d);
        Files.createDirectories(d);
        assertThat(Files.isDirectory(p("x/y"))).isTrue();
        Files.createFile(p("x/file"));
        assertThatThrownBy(() -> Files.createDirectories(p("x/file"))).isExactlyInstanceOf(FileAlreadyExistsException.class);
    }

    @Test
    void newDirectoryStreamListsTheEntries() throws IOException {
        Path d = Files.createDirectory(p("ls"));
        Files.createFile(d.resolve("b"));
        Files.createFile(d.resolve("a"));
        Files.createDirectory(d.resolve("c"));
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(d)) {
            for (Path e : s) {
                assertThat(e.getParent()).isEqualTo(d);
                names.add(e.getFileName().toString());
            }
        }
        assertThat(names).containsExactlyInAnyOrder("a", "b", "c");
    }

    @Test
    void newDirectoryStreamFiltersByGlob() throws IOException {
        Path d = Files.createDirectory(p("glob"));
        for (String n : List.of("1.log", "2.log", "3.idx", "log")) {
            Files.createFile(d.resolve(n));
        }
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(d, "*.log")) {
            s.forEach(e -> names.add(e.getFileName().toString()));
        }
        assertThat(names).containsExactlyInAnyOrder("1.log", "2.log");
        try (DirectoryStream<Path> s = Files.newDirectoryStream(d, "{*.idx,log}")) {
            assertThat(s).hasSize(2);
        }
    }

    @Test
    void aDirectoryStreamGivesOneIterator() throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(root)) {
            s.iterator();
            assertThatThrownBy(s::iterator).isExactlyInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void listingAFileIsNotADirectory() throws IOException {
        Path f = Files.createFile(p("notdir"));
        Throwable t = catchThrowable(() -> Files.newDirectoryStream(f));
        assertThat(t).isExactlyInstanceOf(NotDirectoryException.class);
        assertThat(((NotDirectoryException) t).getFile()).isEqualTo(f.toString());
        assertThatThrownBy(() -> Files.list(p("missing-dir"))).isExactlyInstanceOf(NoSuchFileException.class);
    }

    @Test
    void listAndWalk() throws IOException {
        Files.createDirectories(p("w/a/b"));
        Files.createFile(p("w/a/b/f"));
        Files.createFile(p("w/g"));
        try (Stream<Path> s = Files.list(p("w"))) {
            assertThat(s.map(x -> x.getFileName().toString()).sorted().collect(Collectors.toList())).containsExactly("a", "g");
        }
        try (Stream<Path> s = Files.walk(p("w"))) {
            assertThat(s.map(x -> p("w").relativize(x).toString()).sorted().collect(Collectors.toList()))
                    .containsExactly("", "a", "a/b", "a/b/f", "g");
        }
        try (Stream<Path> s = Files.find(p("w"), 10, (x, a) -> a.isRegularFile())) {
            assertThat(s.count()).isEqualTo(2);
        }
    }

    @Test
    void deleteRemovesAFileAndAnEmptyDirectory() throws IOException {
        Path f = Files.createFile(p("del"));
        Files.delete(f);
        assertThat(Files.exists(f)).isFalse();
        assertThat(Files.notExists(f)).isTrue();
        Path d = Files.createDirectory(p("deld"));
        Files.delete(d);
        assertThat(Files.exists(d)).isFalse();
    }

    @Test
    void deletingAMissingFileIsNoSuchFile() {
        Path f = p("gone");
        Throwable t = catchThrowable(() -> Files.delete(f));
        assertThat(t).isExactlyInstanceOf(NoSuchFileException.class);
        assertThat(((NoSuchFileException) t).getFile()).isEqualTo(f.toString());
    }

    @Test
    void deleteIfExistsSaysWhetherItDeleted() throws IOException {
        Path f = Files.createFile(p("die"));
        assertThat(Files.deleteIfExists(f)).isTrue();
        assertThat(Files.deleteIfExists(f)).isFalse();
    }

    @Test
    void deletingANonEmptyDirectoryIsDirectoryNotEmpty() throws IOException {
        Path d = Files.createDirectory(p("full"));
        Files.createFile(d.resolve("x"));
        Throwable t = catchThrowable(() -> Files.delete(d));
        assertThat(t).isExactlyInstanceOf(DirectoryNotEmptyException.class);
        assertThat(((DirectoryNotEmptyException) t).getFile()).isEqualTo(d.toString());
        assertThat(Files.exists(d.resolve("x"))).isTrue();
    }

    @Test
    void aDirectoryOpensForReadingAndItsForceIsADirectoryFsync() throws IOException {
        Path d = Files.createDirectory(p("fsyncdir"));
        Files.createFile(d.resolve("entry"));
        try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
            ch.force(true);
            assertThatThrownBy(() -> ch.read(ByteBuffer.allocate(1))).isExactlyInstanceOf(IOException.class)
                    .hasMessage("Is a directory");
        }
    }

    @Test
    void aDirectoryDoesNotOpenForWriting() throws IOException {
        Path d = Files.createDirectory(p("wdir"));
        Throwable t = catchThrowable(() -> FileChannel.open(d, StandardOpenOption.WRITE));
        assertThat(t).isExactlyInstanceOf(FileSystemException.class);
        assertThat(reason(t)).isEqualTo("Is a directory");
        assertThat(((FileSystemException) t).getFile()).isEqualTo(d.toString());
    }

    // ---- move and copy ----

    @Test
    void moveRenamesInOneDirectory() throws IOException {
        Files.writeString(p("old"), "content");
        Path to = Files.move(p("old"), p("new"));
        assertThat(to).isEqualTo(p("new"));
        assertThat(Files.exists(p("old"))).isFalse();
        assertThat(Files.readString(p("new"))).isEqualTo("content");
    }

    @Test
    void moveGoesAcrossDirectories() throws IOException {
        Files.createDirectories(p("m1"));
        Files.createDirectories(p("m2/deeper"));
        Files.writeString(p("m1/f"), "x");
        Files.move(p("m1/f"), p("m2/deeper/f"), StandardCopyOption.ATOMIC_MOVE);
        assertThat(Files.readString(p("m2/deeper/f"))).isEqualTo("x");
        assertThat(Files.exists(p("m1/f"))).isFalse();
    }

    @Test
    void moveOntoAnExistingNameNeedsReplaceExisting() throws IOException {
        Files.writeString(p("ma"), "a");
        Files.writeString(p("mb"), "b");
        Throwable t = catchThrowable(() -> Files.move(p("ma"), p("mb")));
        assertThat(t).isExactlyInstanceOf(FileAlreadyExistsException.class);
        assertThat(((FileAlreadyExistsException) t).getFile()).isEqualTo(p("mb").toString());
        Files.move(p("ma"), p("mb"), StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.readString(p("mb"))).isEqualTo("a");
        assertThat(Files.exists(p("ma"))).isFalse();
    }

    @Test
    void anAtomicMoveReplacesLikeRename() throws IOException {
        Files.writeString(p("tmp-manifest"), "v2");
        Files.writeString(p("manifest"), "v1");
        Files.move(p("tmp-manifest"), p("manifest"), StandardCopyOption.ATOMIC_MOVE);
        assertThat(Files.readString(p("manifest"))).isEqualTo("v2");
        assertThat(Files.exists(p("tmp-manifest"))).isFalse();
    }

    @Test
    void movingAMissingFileIsNoSuchFile() {
        Throwable t = catchThrowable(() -> Files.move(p("ghost"), p("any")));
        assertThat(t).isExactlyInstanceOf(NoSuchFileException.class);
        assertThat(((NoSuchFileException) t).getFile()).isEqualTo(p("ghost").toString());
    }

    @Test
    void movingADirectoryMovesItsTree() throws IOException {
        Files.createDirectories(p("tree/sub"));
        Files.writeString(p("tree/sub/leaf"), "l");
        Files.createDirectory(p("dest"));
        Files.move(p("tree"), p("dest/tree"));
        assertThat(Files.readString(p("dest/tree/sub/leaf"))).isEqualTo("l");
        assertThat(Files.exists(p("tree"))).isFalse();
    }

    @Test
    void replacingANonEmptyDirectoryIsDirectoryNotEmpty() throws IOException {
        Files.createDirectories(p("full2"));
        Files.createFile(p("full2/x"));
        Files.createFile(p("mover"));
        Throwable t = catchThrowable(() -> Files.move(p("mover"), p("full2"), StandardCopyOption.REPLACE_EXISTING));
        assertThat(t).isExactlyInstanceOf(DirectoryNotEmptyException.class);
        assertThat(((DirectoryNotEmptyException) t).getFile()).isEqualTo(p("full2").toString());
    }

    @Test
    void aRenamedFileKeepsItsKey() throws IOException {
        Files.createFile(p("k1"));
        Object key = Files.readAttributes(p("k1"), BasicFileAttributes.class).fileKey();
        Files.move(p("k1"), p("k2"));
        assertThat(Files.readAttributes(p("k2"), BasicFileAttributes.class).fileKey()).isEqualTo(key);
    }

    @Test
    void copyMakesAnIndependentFile() throws IOException {
        byte[] data = random(50_000, 8);
        Files.write(p("orig"), data);
        Files.copy(p("orig"), p("copy"));
        Files.write(p("orig"), new byte[] {1});
        assertThat(Files.readAllBytes(p("copy"))).isEqualTo(data);
        assertThat(Files.isSameFile(p("orig"), p("copy"))).isFalse();
    }

    @Test
    void copyOntoAnExistingNameNeedsReplaceExisting() throws IOException {
        Files.writeString(p("ca"), "a");
        Files.writeString(p("cb"), "b");
        Throwable t = catchThrowable(() -> Files.copy(p("ca"), p("cb")));
        assertThat(t).isExactlyInstanceOf(FileAlreadyExistsException.class);
        assertThat(((FileAlreadyExistsException) t).getFile()).isEqualTo(p("cb").toString());
        Files.copy(p("ca"), p("cb"), StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.readString(p("cb"))).isEqualTo("a");
    }

    @Test
    void copyingADirectoryCopiesItAlone() throws IOException {
        Files.createDirectories(p("cd"));
        Files.createFile(p("cd/inside"));
        Files.copy(p("cd"), p("cd2"));
        assertThat(Files.isDirectory(p("cd2"))).isTrue();
        try (Stream<Path> s = Files.list(p("cd2"))) {
            assertThat(s.count()).isZero();
        }
    }

    @Test
    void copyingAMissingFileIsNoSuchFile() {
        Throwable t = catchThrowable(() -> Files.copy(p("nothing"), p("x")));
        assertThat(t).isExactlyInstanceOf(NoSuchFileException.class);
        assertThat(((NoSuchFileException) t).getFile()).isEqualTo(p("nothing").toString());
    }

    @Test
    void copyAttributesKeepsTheModificationTime() throws IOException {
        Files.writeString(p("at"), "x");
        FileTime t = FileTime.fromMillis(1_600_000_000_000L);
        Files.setLastModifiedTime(p("at"), t);
        Files.copy(p("at"), p("at2"), StandardCopyOption.COPY_ATTRIBUTES);
        assertThat(Files.getLastModifiedTime(p("at2")).toMillis()).isEqualTo(t.toMillis());
    }

    @Test
    void copyFromAStreamAndToAStream() throws IOException {
        byte[] data = random(30_000, 9);
        assertThat(Files.copy(new java.io.ByteArrayInputStream(data), p("fromstream"))).isEqualTo(data.length);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        assertThat(Files.copy(p("fromstream"), out)).isEqualTo(data.length);
        assertThat(out.toByteArray()).isEqualTo(data);
    }

    // ---- attributes ----

    @Test
    void basicAttributesDescribeFilesAndDirectories() throws IOException {
        Files.write(p("attr"), new byte[1234]);
        BasicFileAttributes a = Files.readAttributes(p("attr"), BasicFileAttributes.class);
        assertThat(a.size()).isEqualTo(1234);
        assertThat(a.isRegularFile()).isTrue();
        assertThat(a.isDirectory()).isFalse();
        assertThat(a.isSymbolicLink()).isFalse();
        assertThat(a.isOther()).isFalse();
        assertThat(a.lastModifiedTime()).isNotNull();
        assertThat(a.creationTime()).isNotNull();
        BasicFileAttributes d = Files.readAttributes(root, BasicFileAttributes.class);
        assertThat(d.isDirectory()).isTrue();
    }

    @Test
    void setLastModifiedTimeRoundTrips() throws IOException {
        Path f = Files.createFile(p("mtime"));
        FileTime t = FileTime.fromMillis(1_500_000_000_123L);
        Files.setLastModifiedTime(f, t);
        assertThat(Files.getLastModifiedTime(f).toMillis()).isEqualTo(t.toMillis());
        Files.setAttribute(f, "basic:lastModifiedTime", FileTime.fromMillis(1_400_000_000_000L));
        assertThat(Files.getLastModifiedTime(f).toMillis()).isEqualTo(1_400_000_000_000L);
    }

    @Test
    void aWriteMovesTheModificationTime() throws IOException {
        Path f = Files.createFile(p("mt2"));
        Files.setLastModifiedTime(f, FileTime.fromMillis(1_000_000_000_000L));
        Files.write(f, new byte[] {1});
        assertThat(Files.getLastModifiedTime(f).toMillis()).isGreaterThan(1_000_000_000_000L);
    }

    @Test
    void fileKeysIdentifyFiles() throws IOException {
        Files.createFile(p("fk1"));
        Files.createFile(p("fk2"));
        Object k1 = Files.readAttributes(p("fk1"), BasicFileAttributes.class).fileKey();
        assertThat(k1).isNotNull().isEqualTo(Files.readAttributes(p("fk1"), BasicFileAttributes.class).fileKey());
        assertThat(k1).isNotEqualTo(Files.readAttributes(p("fk2"), BasicFileAttributes.class).fileKey());
    }

    @Test
    void isSameFileLooksThroughSpellings() throws IOException {
        Files.createDirectory(p("sd"));
        Files.createFile(p("sd/f"));
        assertThat(Files.isSameFile(p("sd/f"), p("sd/../sd/./f"))).isTrue();
        assertThat(Files.isSameFile(p("nope1"), p("nope1"))).isTrue();
        assertThatThrownBy(() -> Files.isSameFile(p("sd/f"), p("nope2"))).isExactlyInstanceOf(NoSuchFileException.class);
    }

    @Test
    void posixAttributesHaveModesAndOwners() throws IOException {
        Files.createFile(p("px"));
        PosixFileAttributes a = Files.readAttributes(p("px"), PosixFileAttributes.class);
        assertThat(a.permissions()).contains(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(a.owner()).isNotNull();
        assertThat(a.group()).isNotNull();
        Files.setPosixFilePermissions(p("px"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(p("px")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(fs().supportedFileAttributeViews()).contains("basic", "posix");
    }

    @Test
    void attributesByName() throws IOException {
        Files.write(p("byname"), new byte[7]);
        Map<String, Object> m = Files.readAttributes(p("byname"), "size,isDirectory");
        assertThat(m).containsEntry("size", 7L).containsEntry("isDirectory", false).hasSize(2);
        assertThat(Files.readAttributes(p("byname"), "*")).containsKeys("lastModifiedTime", "fileKey", "size");
        assertThat(Files.readAttributes(p("byname"), "posix:permissions")).containsKey("permissions");
        assertThat(Files.getAttribute(p("byname"), "basic:size")).isEqualTo(7L);
    }

    @Test
    void attributesOfAMissingFileAreNoSuchFile() {
        Throwable t = catchThrowable(() -> Files.readAttributes(p("absent"), BasicFileAttributes.class));
        assertThat(t).isExactlyInstanceOf(NoSuchFileException.class);
        assertThat(((NoSuchFileException) t).getFile()).isEqualTo(p("absent").toString());
        assertThat(Files.exists(p("absent"))).isFalse();
        assertThat(Files.isRegularFile(p("absent"))).isFalse();
        assertThat(Files.isDirectory(p("absent"))).isFalse();
        assertThatThrownBy(() -> Files.size(p("absent"))).isExactlyInstanceOf(NoSuchFileException.class);
    }

    @Test
    void hiddenFilesStartWithADot() throws IOException {
        assertThat(Files.isHidden(Files.createFile(p(".hidden")))).isTrue();
        assertThat(Files.isHidden(Files.createFile(p("shown")))).isFalse();
    }

    @Test
    void theFileStoreHasSpaceFigures() throws IOException {
        FileStore store = Files.getFileStore(root);
        assertThat(store.getTotalSpace()).isPositive();
        assertThat(store.getUsableSpace()).isPositive().isLessThanOrEqualTo(store.getTotalSpace());
        assertThat(store.getUnallocatedSpace()).isLessThanOrEqualTo(store.getTotalSpace());
        assertThat(store.isReadOnly()).isFalse();
        assertThatThrownBy(() -> Files.getFileStore(p("missing-store"))).isExactlyInstanceOf(NoSuchFileException.class);
    }
}
