package io.staleguard.junit.internal.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A lock of the real file, presented as a lock of the verifying channel: same range, validity and release. */
class RealLockTest {

    @TempDir
    Path dir;

    @Test
    void presentsTheRealLockAsALockOfEitherKindOfChannel() throws Exception {
        Path file = Files.write(dir.resolve("f"), new byte[8192]);
        try (FileChannel real = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileChannel view = FileChannel.open(file, StandardOpenOption.READ);
             AsynchronousFileChannel asyncView = AsynchronousFileChannel.open(file, StandardOpenOption.READ)) {
            FileLock underlying = real.lock(100, 200, false);
            FileLock lock = new RealLock(view, underlying);
            assertThat(lock.acquiredBy()).isSameAs(view);
            assertThat(lock.position()).isEqualTo(100);
            assertThat(lock.size()).isEqualTo(200);
            assertThat(lock.isShared()).isFalse();
            assertThat(lock.isValid()).isTrue();
            lock.release();
            assertThat(underlying.isValid()).isFalse();
            assertThat(lock.isValid()).isFalse();

            FileLock shared = new RealLock(asyncView, real.lock(0, 10, true));
            assertThat(shared.acquiredBy()).isSameAs(asyncView);
            assertThat(shared.isShared()).isTrue();
            assertThat(shared.isValid()).isTrue();
            shared.close();
            assertThat(shared.isValid()).isFalse();
        }
    }
}
