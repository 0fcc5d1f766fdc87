package io.staleguard.device.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PiStoreTest {

    private static final long SEED = 0x5707E_0004L;

    private static byte[] tuples(int count, int size, int fill) {
        byte[] t = new byte[count * size];
        for (int i = 0; i < count; i++) {
            Arrays.fill(t, i * size, (i + 1) * size, (byte) (fill + i));
        }
        return t;
    }

    @Test
    void creationAllocatesNothingProportionalToCapacity() {
        PiStore small = new PiStore(8, 64L * 1024 * 1024 / 512);
        assertThat(small.allocatedChunks()).isZero();
        // A 1 PiB device of 4 KiB blocks: only the chunk directory's top level exists.
        PiStore huge = PiStore.forFormat(ProtectionFormat.NVME_CRC64_TYPE1, (1L << 50) / 4096);
        assertThat(huge.allocatedChunks()).isZero();
        huge.put(huge.capacity() - 1, tuples(1, 16, 9), 0, 1);
        assertThat(huge.allocatedChunks()).isEqualTo(1);
        assertThat(huge.isWritten(huge.capacity() - 1)).isTrue();
        assertThat(huge.isWritten(0)).isFalse();
    }

    @Test
    void putGetRoundTripAcrossChunkBoundaries() {
        PiStore store = new PiStore(8, 10_000);
        int first = PiStore.CHUNK_LBAS - 3;
        byte[] in = tuples(2 * PiStore.CHUNK_LBAS + 10, 8, 1);
        store.put(first, in, 0, 2 * PiStore.CHUNK_LBAS + 10);
        assertThat(store.allocatedChunks()).isEqualTo(4);
        byte[] out = new byte[in.length + 5];
        assertThat(store.get(first, out, 5, 2 * PiStore.CHUNK_LBAS + 10)).isEqualTo(2 * PiStore.CHUNK_LBAS + 10);
        assertThat(Arrays.copyOfRange(out, 5, out.length)).isEqualTo(in);
        assertThat(store.writtenCount()).isEqualTo(2 * PiStore.CHUNK_LBAS + 10);
        assertThat(store.isWritten(first - 1)).isFalse();
        assertThat(store.isWritten(first)).isTrue();
        assertThat(store.isWritten(first + 2 * PiStore.CHUNK_LBAS + 9)).isTrue();
        assertThat(store.isWritten(first + 2 * PiStore.CHUNK_LBAS + 10)).isFalse();
    }

    @Test
    void unwrittenLbasReadAsEscapeTuplesThatVerificationSkips() {
        PiStore store = new PiStore(8, 100);
        store.put(10, tuples(1, 8, 0x11), 0, 1);
        byte[] out = new byte[3 * 8];
        assertThat(store.get(9, out, 0, 3)).isEqualTo(1);
        byte[] ff = new byte[8];
        Arrays.fill(ff, (byte) 0xFF);
        assertThat(Arrays.copyOfRange(out, 0, 8)).isEqualTo(ff);
        assertThat(Arrays.copyOfRange(out, 8, 16)).isEqualTo(tuples(1, 8, 0x11));
        assertThat(Arrays.copyOfRange(out, 16, 24)).isEqualTo(ff);
        // All-0xFF escapes every type, including Type 3, over any data.
        ByteBuffer data = ByteBuffer.allocate(512);
        data.put(0, (byte) 1);
        for (ProtectionFormat f : new ProtectionFormat[] {ProtectionFormat.T10_DIF_TYPE1,
            ProtectionFormat.T10_DIF_TYPE2, ProtectionFormat.T10_DIF_TYPE3}) {
            assertThat(ProtectionInformation.verify(f, data, 512, 9, 0, out, 0, 0, 0xFFFF)).as(f.name()).isNull();
        }
    }

    @Test
    void discardForgetsTuples() {
        PiStore store = new PiStore(16, 5000);
        store.put(0, tuples(3000, 16, 3), 0, 3000);
        store.discard(1000, 1500);
        assertThat(store.isWritten(999)).isTrue();
        assertThat(store.isWritten(1000)).isFalse();
        assertThat(store.isWritten(2499)).isFalse();
        assertThat(store.isWritten(2500)).isTrue();
        assertThat(store.writtenCount()).isEqualTo(1500);
        byte[] out = new byte[16];
        assertThat(store.get(1200, out, 0, 1)).isZero();
        assertThat(out).containsOnly((byte) 0xFF);
    }

    @Test
    void badArgumentsNameTheBadValue() {
        PiStore store = new PiStore(8, 100);
        assertThatThrownBy(() -> new PiStore(12, 100)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tuple size 12");
        assertThatThrownBy(() -> new PiStore(8, -5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-5");
        assertThatThrownBy(() -> store.put(99, new byte[16], 0, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LBA 99");
        assertThatThrownBy(() -> store.get(-1, new byte[8], 0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LBA -1");
        assertThatThrownBy(() -> store.put(0, new byte[15], 0, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("length 15");
        assertThatThrownBy(() -> store.isWritten(100)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LBA 100");
        assertThatThrownBy(() -> store.discard(50, 51)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[50, 101)");
        assertThatThrownBy(() -> PiStore.forFormat(ProtectionFormat.NONE, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NONE");
    }

    @Test
    void sidecarRoundTrip(@TempDir Path dir) throws IOException {
        PiStore store = new PiStore(16, 1_000_000);
        SplittableRandom random = new SplittableRandom(SEED);
        List<Long> lbas = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            long lba = random.nextLong(0, 1_000_000);
            byte[] t = new byte[16];
            random.nextBytes(t);
            store.put(lba, t, 0, 1);
            lbas.add(lba);
        }
        Path file = dir.resolve("pi.sidecar");
        store.saveTo(file);
        PiStore loaded = PiStore.loadFrom(file);
        assertThat(loaded.capacity()).isEqualTo(1_000_000);
        assertThat(loaded.tupleSize()).isEqualTo(16);
        assertThat(loaded.writtenCount()).isEqualTo(store.writtenCount());
        assertThat(loaded.allocatedChunks()).isEqualTo(store.allocatedChunks());
        byte[] a = new byte[16];
        byte[] b = new byte[16];
        for (long lba : lbas) {
            store.get(lba, a, 0, 1);
            loaded.get(lba, b, 0, 1);
            assertThat(b).as("seed %d lba %d", SEED, lba).isEqualTo(a);
            assertThat(loaded.isWritten(lba)).isTrue();
        }
        assertThat(Files.list(dir)).containsExactly(file);
    }

    @Test
    void malformedSidecarIsAnIoExceptionNamingTheProblem(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad");
        Files.write(bad, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        assertThatThrownBy(() -> PiStore.loadFrom(bad)).isInstanceOf(IOException.class)
                .hasMessageContaining("magic 0x1020304");
        PiStore store = new PiStore(8, 5000);
        store.put(4000, new byte[8], 0, 1);
        Path good = dir.resolve("good");
        store.saveTo(good);
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = dir.resolve("truncated");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 20));
        assertThatThrownBy(() -> PiStore.loadFrom(truncated)).isInstanceOf(IOException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void concurrentWritersNeverTearATuple() throws Exception {
        PiStore store = new PiStore(16, 4 * PiStore.CHUNK_LBAS);
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int w = 0; w < threads; w++) {
                long seed = SEED + w;
                results.add(pool.submit(() -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    byte[] buf = new byte[16 * 64];
                    start.await();
                    for (int op = 0; op < 20_000; op++) {
                        int count = random.nextInt(1, 64);
                        long lba = random.nextLong(0, store.capacity() - count);
                        if (random.nextBoolean()) {
                            // Every tuple is 16 copies of one byte, so a torn tuple would show two values.
                            for (int i = 0; i < count; i++) {
                                Arrays.fill(buf, i * 16, i * 16 + 16, (byte) random.nextInt(0, 0xFF));
                            }
                            store.put(lba, buf, 0, count);
                        } else {
                            store.get(lba, buf, 0, count);
                            for (int i = 0; i < count; i++) {
                                for (int k = 1; k < 16; k++) {
                                    if (buf[i * 16 + k] != buf[i * 16]) {
                                        return "seed " + seed + " op " + op + ": torn tuple at lba " + (lba + i);
                                    }
                                }
                            }
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<String> f : results) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isNull();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
