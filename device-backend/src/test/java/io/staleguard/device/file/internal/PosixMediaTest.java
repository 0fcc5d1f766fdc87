package io.staleguard.device.file.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.IoMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import jnr.constants.platform.PosixFadvise;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The native layer under the real backends, on a regular file (no root needed). */
class PosixMediaTest {

    @TempDir
    Path dir;

    @Test
    void oDirectIsDefinedPerArchitectureAndUnknownOnesFailNamingTheArchitecture() {
        assertThat(OpenFlags.oDirect("amd64")).isEqualTo(0x4000);
        assertThat(OpenFlags.oDirect("x86_64")).isEqualTo(0x4000);
        assertThat(OpenFlags.oDirect("aarch64")).isEqualTo(0x10000);
        assertThatThrownBy(() -> OpenFlags.oDirect("riscv64")).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("unknown architecture 'riscv64'");
    }

    @Test
    void alignedBuffersAreAlignedAndExactlySized() {
        for (int align : new int[] {512, 4096}) {
            ByteBuffer b = AlignedBuffers.allocate(3 * align, align);
            assertThat(b.capacity()).isEqualTo(3 * align);
            assertThat(AlignedBuffers.aligned(b, align)).isTrue();
            assertThat(AlignedBuffers.aligned(b.position(1), align)).isFalse();
        }
    }

    @Test
    void directAndBufferedPathsSeeTheSameBytesAtLongOffsets() throws IOException {
        Path f = dir.resolve("media.dat");
        long far = (5L << 30) + 8192; // beyond 4 GiB: the long-offset pread/pwrite
        try (PosixMedia m = PosixMedia.open(f, 4096, true, false)) {
            m.truncate(far + (1 << 20));
            org.junit.jupiter.api.Assumptions.assumeTrue(m.directSupported(),
                    "the filesystem of " + dir + " does not support O_DIRECT");
            byte[] data = new byte[3 * 4096 + (2 << 20)];
            new SplittableRandom(7).nextBytes(data);
            m.write(far, data, 0, 3 * 4096, IoMode.DIRECT);
            m.write(4096, data, 0, data.length, IoMode.BUFFERED);
            byte[] back = new byte[3 * 4096];
            m.read(far, back, 0, back.length, IoMode.BUFFERED);
            assertThat(back).isEqualTo(Arrays.copyOf(data, 3 * 4096));
            byte[] big = new byte[data.length];
            m.read(4096, big, 0, big.length, IoMode.DIRECT);
            assertThat(big).isEqualTo(data);
            m.fdatasync();
            m.fsync();
            m.fadvise(0, 0, PosixFadvise.POSIX_FADV_DONTNEED);
            m.fadvise(0, 1 << 20, PosixFadvise.POSIX_FADV_WILLNEED);
        }
        assertThat(Files.size(f)).isEqualTo(far + (1 << 20));
    }

    @Test
    void readsPastTheEndReturnZeros() throws IOException {
        Path f = dir.resolve("short.dat");
        Files.write(f, new byte[] {1, 2, 3});
        try (PosixMedia m = PosixMedia.open(f, 512, false, false)) {
            byte[] b = new byte[4096];
            Arrays.fill(b, (byte) 9);
            m.read(0, b, 0, b.length, IoMode.DIRECT);
            assertThat(Arrays.copyOf(b, 4)).containsExactly(1, 2, 3, 0);
            assertThat(b[4095]).isZero();
        }
    }

    @Test
    void aClosedMediaFailsClearly() throws IOException {
        Path f = dir.resolve("closed.dat");
        PosixMedia m = PosixMedia.open(f, 4096, true, false);
        m.close();
        assertThatThrownBy(() -> m.read(0, new byte[4096], 0, 4096, IoMode.BUFFERED))
                .isInstanceOf(java.nio.channels.ClosedChannelException.class);
    }

    @Test
    void unalignedDirectIoFailsWithTheKernelsError() throws IOException {
        Path f = dir.resolve("einval.dat");
        try (PosixFd fd = PosixFd.open(f, true, true)) {
            ByteBuffer b = ByteBuffer.allocateDirect(8192);
            b.position(1).limit(4097);
            assertThatThrownBy(() -> fd.pwrite(b, 0)).isInstanceOf(IOException.class)
                    .hasMessageContaining("Invalid argument").hasMessageContaining("O_DIRECT");
        }
    }
}
