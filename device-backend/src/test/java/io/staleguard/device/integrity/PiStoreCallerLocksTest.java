package io.staleguard.device.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store whose caller holds a lock per LBA ({@link PiStore#forFormat(ProtectionFormat, long, PiStore.LbaLocks)},
 * what the simulated device does with its stripe locks) takes no monitor per call: writers of different LBAs of
 * one chunk run at once and must not lose each other's tuples, and a guard the store resolves on its own settles
 * under the caller's lock.
 */
class PiStoreCallerLocksTest {

    private static final long SEED = 0x10C4_ED5EL;
    private static final int BS = 512;
    private static final int LBAS = 4096;
    private static final ProtectionFormat F = ProtectionFormat.T10_DIF_TYPE1;

    /** One reentrant lock per LBA, counting the locks the store takes itself. */
    private static final class Locks implements PiStore.LbaLocks {
        final ReentrantLock[] locks = new ReentrantLock[LBAS];
        int taken;

        Locks() {
            for (int i = 0; i < LBAS; i++) {
                locks[i] = new ReentrantLock();
            }
        }

        @Override
        public void lock(long lba) {
            locks[(int) lba].lock();
            taken++;
        }

        @Override
        public void unlock(long lba) {
            locks[(int) lba].unlock();
        }
    }

    private final byte[] media = new byte[LBAS * BS];

    @Test
    void concurrentWritersOfOneChunkKeepEveryTuple() throws Exception {
        Locks locks = new Locks();
        PiStore s = PiStore.forFormat(F, LBAS, locks);
        s.resolveFrom((lba, dst) -> System.arraycopy(media, (int) lba * BS, dst, 0, BS), BS);
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int me = t;
                done.add(pool.submit(() -> {
                    byte[] tuple = new byte[8];
                    long[] fp = {0x1234_5678L};
                    // Interleaved LBAs: neighbours in one chunk (and one bitmap word before) belong to other threads.
                    for (int round = 0; round < 200; round++) {
                        for (int lba = me; lba < 2048; lba += threads) {
                            PiTuple.encode(F.guard(), tuple, 0, 0, round & 0xFFF, lba);
                            locks.locks[lba].lock();
                            try {
                                if ((lba & 1) == 0) {
                                    s.put(lba, tuple, 0, 1);
                                } else {
                                    s.put(lba, tuple, 0, 1, fp, 0);
                                }
                            } finally {
                                locks.locks[lba].unlock();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(s.writtenCount()).as("seed 0x%x", SEED).isEqualTo(2048);
        assertThat(s.deferredCount()).isEqualTo(1024);
        byte[] t = new byte[8];
        long[] fp = new long[1];
        for (int lba = 0; lba < 2048; lba++) {
            assertThat(s.get(lba, t, 0, 1, fp, 0)).isEqualTo(1);
            assertThat(PiTuple.refTag(F.guard(), t, 0)).isEqualTo(lba);
            assertThat(PiTuple.appTag(F.guard(), t, 0)).isEqualTo(199);
            assertThat(fp[0]).isEqualTo((lba & 1) == 0 ? PiStore.EXACT : 0x1234_5678L);
        }
    }

    @Test
    void aGuardResolvedForTheSidecarSettlesUnderTheCallersLock(@TempDir Path dir) throws Exception {
        Locks locks = new Locks();
        PiStore s = PiStore.forFormat(F, LBAS, locks);
        s.resolveFrom((lba, dst) -> System.arraycopy(media, (int) lba * BS, dst, 0, BS), BS);
        byte[] data = new byte[3 * BS];
        new SplittableRandom(SEED).nextBytes(data);
        System.arraycopy(data, 0, media, 7 * BS, data.length);
        byte[] t = new byte[3 * 8];
        long[] fps = new long[3];
        ProtectionInformation.generateDeferred(F, ByteBuffer.wrap(data), BS, 7, 0, 0x42, t, 0, fps, 0);
        s.put(7, t, 0, 3, fps, 0);
        assertThat(locks.taken).as("the caller's puts take nothing").isZero();

        s.saveTo(dir.resolve("pi"));

        assertThat(locks.taken).as("one lock per guard settled").isEqualTo(3);
        assertThat(s.deferredCount()).isZero();
        byte[] eager = new byte[3 * 8];
        ProtectionInformation.generate(F, ByteBuffer.wrap(data), BS, 7, 0, 0x42, eager, 0);
        byte[] saved = new byte[3 * 8];
        PiStore.loadFrom(dir.resolve("pi")).get(7, saved, 0, 3);
        assertThat(saved).isEqualTo(eager);
    }

    @Test
    void aFrozenCopyAndAResetKeepTheCallersLocks() {
        Locks locks = new Locks();
        PiStore s = PiStore.forFormat(F, LBAS, locks);
        byte[] t = new byte[8];
        PiTuple.encode(F.guard(), t, 0, 0xBEEF, 1, 5);
        s.put(5, t, 0, 1);
        PiStore frozen = s.frozenCopy();
        PiTuple.encode(F.guard(), t, 0, 0xCAFE, 2, 5);
        s.put(5, t, 0, 1);
        s.resetTo(frozen);
        byte[] got = new byte[8];
        assertThat(s.get(5, got, 0, 1)).isEqualTo(1);
        assertThat(PiTuple.guard(F.guard(), got, 0)).isEqualTo(0xBEEF);
        assertThat(s.isWritten(6)).isFalse();
    }

    @Test
    void nullLocksAreRefusedByName() {
        assertThatThrownBy(() -> PiStore.forFormat(F, LBAS, null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("locks");
    }
}
