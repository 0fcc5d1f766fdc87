package io.staleguard.device.sim;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.staleguard.device.IoCaller;
import io.staleguard.device.IoMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apiguardian.api.API;

/**
 * One thread of a correct, seeded, mixed workload: synchronous and asynchronous, buffered and
 * direct reads and writes (some scattering/gathering) in a region the thread owns, with an exact
 * model of that region; every read is checked against the model, every short transfer continued.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class SoakWorkload {

    private final SimulatedDevice d;
    private final long base;
    private final int region;
    private final int bs;
    private final SplittableRandom rnd;
    private final byte[] model;
    private final IoCaller caller;
    private final ByteBuffer[] direct = new ByteBuffer[4];
    private final String name;
    private long modelMismatches;

    /** Thread {@code index}'s workload on {@code [base, base + region)} of {@code d}, seeded by {@code seed}. */
    public SoakWorkload(SimulatedDevice d, int index, long base, int region, long seed) {
        this.d = d;
        this.base = base;
        this.region = region;
        this.bs = d.logicalBlockSize();
        this.rnd = new SplittableRandom(seed);
        this.model = new byte[region];
        this.name = "soak-" + index;
        this.caller = IoCaller.newCaller(name, true);
        for (int i = 0; i < direct.length; i++) {
            direct[i] = ByteBuffer.allocateDirect(16 * bs + bs).alignedSlice(bs);
        }
    }

    /** Reads that did not match the model. */
    public long modelMismatches() {
        return modelMismatches;
    }

    /** Runs operations until {@code deadline} ({@link System#nanoTime()}). */
    public void runUntil(long deadline) throws IOException, InterruptedException, ExecutionException, TimeoutException {
        int round = 0;
        while (System.nanoTime() - deadline < 0) {
            int r = rnd.nextInt(100);
            if (r < 30) {
                syncWrite();
            } else if (r < 60) {
                syncRead();
            } else if (r < 75) {
                asyncWrites();
            } else if (r < 90) {
                asyncReads();
            } else {
                gatherScatter();
            }
            if (++round % 2000 == 0) {
                d.flush();
            }
        }
        d.flush();
    }

    private void syncWrite() throws IOException {
        if (rnd.nextBoolean()) {
            int blocks = 1 + rnd.nextInt(16);
            long off = base + (long) rnd.nextInt(region / bs - blocks) * bs;
            ByteBuffer b = direct[0].clear().limit(blocks * bs);
            fill(b, off);
            while (b.hasRemaining()) {
                d.write(b, off + b.position(), IoMode.DIRECT, caller);
            }
        } else {
            int len = 1 + rnd.nextInt(3 * bs);
            long off = base + rnd.nextInt(region - len);
            ByteBuffer b = ByteBuffer.allocate(len);
            fill(b, off);
            while (b.hasRemaining()) {
                d.write(b, off + b.position(), IoMode.BUFFERED, caller);
            }
        }
    }

    private void syncRead() throws IOException {
        boolean directMode = rnd.nextBoolean();
        int len = directMode ? (1 + rnd.nextInt(16)) * bs : 1 + rnd.nextInt(3 * bs);
        long off = directMode ? base + (long) rnd.nextInt(region / bs - 16) * bs : base + rnd.nextInt(region - len);
        ByteBuffer b = directMode ? direct[1].clear().limit(len) : ByteBuffer.allocate(len);
        while (b.hasRemaining()) {
            d.read(b, off + b.position(), directMode ? IoMode.DIRECT : IoMode.BUFFERED, caller);
        }
        check(b, off);
    }

    private void asyncWrites() throws InterruptedException, ExecutionException, TimeoutException {
        long[] offs = new long[4];
        List<CompletableFuture<Integer>> fs = new ArrayList<>(4);
        int quarter = region / 4;
        for (int i = 0; i < 4; i++) {
            int blocks = 1 + rnd.nextInt(16);
            offs[i] = base + (long) i * quarter + (long) rnd.nextInt(quarter / bs - blocks) * bs;
            ByteBuffer b = direct[i].clear().limit(blocks * bs);
            fill(b, offs[i]);
            fs.add(d.writeAsync(b, offs[i], IoMode.DIRECT, caller));
        }
        for (int i = 0; i < 4; i++) {
            fs.get(i).get(60, TimeUnit.SECONDS);
            ByteBuffer b = direct[i];
            while (b.hasRemaining()) {
                d.writeAsync(b, offs[i] + b.position(), IoMode.DIRECT, caller).get(60, TimeUnit.SECONDS);
            }
        }
    }

    private void asyncReads() throws InterruptedException, ExecutionException, TimeoutException {
        long[] offs = new long[4];
        ByteBuffer[] bufs = new ByteBuffer[4];
        List<CompletableFuture<Integer>> fs = new ArrayList<>(4);
        for (int i = 0; i < 4; i++) {
            int len = 1 + rnd.nextInt(2 * bs);
            offs[i] = base + rnd.nextInt(region - len);
            bufs[i] = ByteBuffer.allocate(len);
            fs.add(d.readAsync(bufs[i], offs[i], IoMode.BUFFERED, caller));
        }
        for (int i = 0; i < 4; i++) {
            fs.get(i).get(60, TimeUnit.SECONDS);
            while (bufs[i].hasRemaining()) {
                d.readAsync(bufs[i], offs[i] + bufs[i].position(), IoMode.BUFFERED, caller).get(60, TimeUnit.SECONDS);
            }
            check(bufs[i], offs[i]);
        }
    }

    private void gatherScatter() throws IOException {
        int a = 1 + rnd.nextInt(bs);
        int b = 1 + rnd.nextInt(bs);
        long off = base + rnd.nextInt(region - a - b);
        ByteBuffer all = ByteBuffer.allocate(a + b);
        fill(all, off);
        ByteBuffer x = ByteBuffer.wrap(all.array(), 0, a).slice();
        ByteBuffer y = ByteBuffer.wrap(all.array(), a, b).slice();
        ByteBuffer[] srcs = {x, y};
        while (x.hasRemaining() || y.hasRemaining()) {
            d.write(srcs, off + x.position() + y.position(), IoMode.BUFFERED, caller);
        }
        ByteBuffer p = ByteBuffer.allocate(b);
        ByteBuffer q = ByteBuffer.allocate(a);
        ByteBuffer[] dsts = {p, q};
        while (p.hasRemaining() || q.hasRemaining()) {
            d.read(dsts, off + p.position() + q.position(), IoMode.BUFFERED, caller);
        }
        check(ByteBuffer.allocate(a + b).put(p.flip()).put(q.flip()), off);
    }

    private void fill(ByteBuffer b, long off) {
        int len = b.remaining();
        byte v = (byte) rnd.nextInt();
        int at = (int) (off - base);
        for (int i = 0; i < len; i++) {
            byte x = (byte) (v + i * 31);
            b.put(b.position() + i, x);
            model[at + i] = x;
        }
    }

    private void check(ByteBuffer b, long off) {
        int len = b.position();
        byte[] got = new byte[len];
        b.duplicate().flip().get(got);
        int from = (int) (off - base);
        if (!Arrays.equals(got, 0, len, model, from, from + len)) {
            modelMismatches++;
            System.err.println(name + ": read [" + off + ",+" + len + ") differs from what the workload wrote");
        }
    }
}
