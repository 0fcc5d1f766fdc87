package io.staleguard.device.sim;

import io.staleguard.device.CompletionOrder;
import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.IoCaller;
import io.staleguard.device.IoMode;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * At least 10^6 mixed operations (synchronous and asynchronous, buffered and direct, reads and
 * writes, scattering and gathering) from several threads, with short transfers, DMA delays and
 * reordered completions, on a correct program: no violation may be reported, and every read
 * returns what the program's own model says it must.
 *
 * <p>Each thread owns a region (so it can keep an exact model of it) and a shared region is
 * written and read by everyone with whole-block writes of self-describing blocks, which the
 * oracle must accept whatever the interleaving.
 */
class MillionOperationsTest {

    private static final int BS = 512;
    private static final int THREADS = 4;
    private static final int REGION = 256 << 10;
    private static final long TARGET = 1_000_000;

    @Test
    void aMillionMixedOperationsOfACorrectProgramAreClean() throws Exception {
        long seed = Long.getLong("staleguard.seed", 0x10_0000L);
        try (SimulatedDevice d = SimulatedDevice.builder().capacity((long) (THREADS + 1) * REGION).blockSize(BS)
                .seed(seed).shortTransferProbability(0.02).dmaDelay(Duration.ZERO, Duration.ofNanos(2_000))
                .workers(2).completionOrder(CompletionOrder.REORDERED).build()) {
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                Worker w = new Worker(d, t, seed + t);
                Thread th = new Thread(() -> {
                    try {
                        w.run(TARGET);
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }, "mixed-" + t);
                threads.add(th);
            }
            threads.forEach(Thread::start);
            for (Thread th : threads) {
                th.join(TimeUnit.MINUTES.toMillis(2));
            }
            assertThat(errors).as("seed 0x%x: %s", seed, d.describe()).isEmpty();
            d.flush();
            assertThat(d.finish().all()).as("seed 0x%x: %s", seed, d.describe()).isEmpty();
            assertThat(d.operations()).isGreaterThanOrEqualTo(TARGET);
        }
    }

    /** One thread of the correct program, with an exact model of its own region. */
    private static final class Worker {
        private final SimulatedDevice d;
        private final long base;
        private final long shared;
        private final SplittableRandom rnd;
        private final byte[] model = new byte[REGION];
        private final IoCaller caller;
        private final ByteBuffer[] direct = new ByteBuffer[4];
        private final String name;

        Worker(SimulatedDevice d, int index, long seed) {
            this.d = d;
            this.base = (long) index * REGION;
            this.shared = (long) THREADS * REGION;
            this.rnd = new SplittableRandom(seed);
            this.caller = IoCaller.newCaller("worker-" + index, true);
            this.name = "worker-" + index;
            for (int i = 0; i < direct.length; i++) {
                direct[i] = ByteBuffer.allocateDirect(8 * BS + BS).alignedSlice(BS);
            }
        }

        /** Runs until the device has seen {@code total} operations from all threads together. */
        void run(long total) throws Exception {
            int round = 0;
            while (d.operations() < total) {
                int r = rnd.nextInt(100);
                if (r < 30) {
                    syncWrite();
                } else if (r < 60) {
                    syncRead();
                } else if (r < 72) {
                    asyncWrites();
                } else if (r < 84) {
                    asyncReads();
                } else if (r < 90) {
                    gatherScatter();
                } else {
                    sharedBlocks();
                }
                if (++round % 5000 == 0) {
                    d.flush();
                }
            }
        }

        private void syncWrite() throws Exception {
            if (rnd.nextBoolean()) {
                int blocks = 1 + rnd.nextInt(8);
                long off = base + (long) rnd.nextInt(REGION / BS - blocks) * BS;
                ByteBuffer b = direct[0].clear().limit(blocks * BS);
                fill(b, off);
                while (b.hasRemaining()) {
                    d.write(b, off + b.position(), IoMode.DIRECT, caller);
                }
            } else {
                int len = 1 + rnd.nextInt(3000);
                long off = base + rnd.nextInt(REGION - len);
                ByteBuffer b = ByteBuffer.allocate(len);
                fill(b, off);
                while (b.hasRemaining()) {
                    d.write(b, off + b.position(), IoMode.BUFFERED, caller);
                }
            }
        }

        private void syncRead() throws Exception {
            boolean directMode = rnd.nextBoolean();
            int len = directMode ? (1 + rnd.nextInt(8)) * BS : 1 + rnd.nextInt(3000);
            long off = directMode ? base + (long) rnd.nextInt(REGION / BS - 8) * BS : base + rnd.nextInt(REGION - len);
            ByteBuffer b = directMode ? direct[1].clear().limit(len) : ByteBuffer.allocate(len);
            while (b.hasRemaining()) {
                d.read(b, off + b.position(), directMode ? IoMode.DIRECT : IoMode.BUFFERED, caller);
            }
            check(b, off);
        }

        private void asyncWrites() throws Exception {
            // Four writes in flight at once, to disjoint quarters of the region; buffers untouched until completion.
            List<CompletableFuture<Integer>> fs = new ArrayList<>();
            long[] offs = new long[4];
            for (int i = 0; i < 4; i++) {
                int blocks = 1 + rnd.nextInt(8);
                offs[i] = base + (long) i * (REGION / 4) + (long) rnd.nextInt(REGION / 4 / BS - blocks) * BS;
                ByteBuffer b = direct[i].clear().limit(blocks * BS);
                fill(b, offs[i]);
                fs.add(d.writeAsync(b, offs[i], IoMode.DIRECT, caller));
            }
            for (int i = 0; i < 4; i++) {
                fs.get(i).get(30, TimeUnit.SECONDS);
                ByteBuffer b = direct[i];
                while (b.hasRemaining()) { // continue a short one
                    d.writeAsync(b, offs[i] + b.position(), IoMode.DIRECT, caller).get(30, TimeUnit.SECONDS);
                }
            }
        }

        private void asyncReads() throws Exception {
            List<CompletableFuture<Integer>> fs = new ArrayList<>();
            long[] offs = new long[4];
            ByteBuffer[] bufs = new ByteBuffer[4];
            for (int i = 0; i < 4; i++) {
                int len = 1 + rnd.nextInt(2000);
                offs[i] = base + rnd.nextInt(REGION - len);
                bufs[i] = ByteBuffer.allocate(len);
                fs.add(d.readAsync(bufs[i], offs[i], IoMode.BUFFERED, caller));
            }
            for (int i = 0; i < 4; i++) {
                fs.get(i).get(30, TimeUnit.SECONDS);
                while (bufs[i].hasRemaining()) {
                    d.readAsync(bufs[i], offs[i] + bufs[i].position(), IoMode.BUFFERED, caller).get(30, TimeUnit.SECONDS);
                }
                check(bufs[i], offs[i]);
            }
        }

        private void gatherScatter() throws Exception {
            int a = 1 + rnd.nextInt(700);
            int b = 1 + rnd.nextInt(700);
            long off = base + rnd.nextInt(REGION - a - b);
            ByteBuffer x = ByteBuffer.allocate(a);
            ByteBuffer y = ByteBuffer.allocate(b);
            ByteBuffer all = ByteBuffer.allocate(a + b);
            fill(all, off);
            x.put(all.array(), 0, a).flip();
            y.put(all.array(), a, b).flip();
            ByteBuffer[] srcs = {x, y};
            while (x.hasRemaining() || y.hasRemaining()) {
                long at = off + x.position() + y.position();
                d.write(srcs, at, IoMode.BUFFERED, caller);
            }
            ByteBuffer p = ByteBuffer.allocate(b);
            ByteBuffer q = ByteBuffer.allocate(a);
            ByteBuffer[] dsts = {p, q};
            while (p.hasRemaining() || q.hasRemaining()) {
                d.read(dsts, off + p.position() + q.position(), IoMode.BUFFERED, caller);
            }
            ByteBuffer joined = ByteBuffer.allocate(a + b).put(p.flip()).put(q.flip());
            check(joined, off);
        }

        /** Whole self-describing blocks in the region every thread shares: any interleaving is admissible. */
        private void sharedBlocks() throws Exception {
            long block = rnd.nextInt(REGION / BS);
            long off = shared + block * BS;
            if (rnd.nextBoolean()) {
                ByteBuffer b = direct[2].clear().limit(BS);
                long stamp = rnd.nextLong();
                for (int i = 0; i < BS; i += 8) {
                    b.putLong(i, stamp ^ i);
                }
                while (b.hasRemaining()) {
                    d.write(b, off + b.position(), IoMode.DIRECT, caller);
                }
            } else {
                ByteBuffer b = direct[3].clear().limit(BS);
                while (b.hasRemaining()) {
                    d.read(b, off + b.position(), IoMode.DIRECT, caller);
                }
                long stamp = b.getLong(0);
                for (int i = 0; i < BS; i += 8) {
                    if (b.getLong(i) != (stamp ^ i) && stamp != 0) {
                        throw new AssertionError(name + ": torn shared block " + block);
                    }
                }
            }
        }

        /** Fills {@code b} (position 0 to limit) with fresh bytes for {@code off} and records them in the model. */
        private void fill(ByteBuffer b, long off) {
            int len = b.remaining();
            byte v = (byte) rnd.nextInt();
            for (int i = 0; i < len; i++) {
                byte x = (byte) (v + i * 31);
                b.put(b.position() + i, x);
                model[(int) (off - base) + i] = x;
            }
        }

        private void check(ByteBuffer b, long off) {
            int len = b.position();
            byte[] got = new byte[len];
            b.duplicate().flip().get(got);
            int from = (int) (off - base);
            if (!Arrays.equals(got, 0, len, model, from, from + len)) {
                throw new AssertionError(name + ": read at " + off + " (+" + len + ") differs from the program's model");
            }
        }
    }
}
