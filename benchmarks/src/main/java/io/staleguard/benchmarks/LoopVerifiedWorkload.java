package io.staleguard.benchmarks;

import io.staleguard.device.IoMode;
import io.staleguard.device.file.internal.OpenFlags;
import io.staleguard.device.file.internal.PositionalCalls;
import io.staleguard.device.loop.LoopDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/**
 * The Staleguard side of {@code benchmarks/fio-vs-staleguard.sh}: the equivalent of
 * {@code fio --rw=randrw --bs=4k --direct=1 --ioengine=psync --numjobs=2 --verify=crc32c} on a
 * {@link LoopDevice} over the same, already attached loop device. Each of {@code jobs} threads
 * owns a region (fio's {@code offset_increment}) and issues synchronous, O_DIRECT, block-sized
 * random reads and writes, half and half; every write gets protection information (by default
 * the NVMe CRC-32C tuple, as fio's {@code verify=crc32c}) and a history entry, every read is
 * verified against both. Prints one line:
 * {@code staleguard verified_iops=N ops=N seconds=S violations=N}.
 *
 * <p>With {@code --plain} it runs the same jobs without Staleguard: the same {@code pread} and
 * {@code pwrite} calls the device makes (by address, through its jnr-ffi binding) on an O_DIRECT
 * descriptor of the device, and a CRC-32C of every written block
 * (what fio's {@code verify=crc32c} computes for each write), nothing checked. That is fio's job
 * written in Java: the floor of any JVM program on this device, the reference that tells the cost of
 * the checking from the cost of the JVM. {@code --protection NONE} and {@code --no-oracle} take the
 * device's two checks off one at a time, to see what each costs.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.staleguard.benchmarks.LoopVerifiedWorkload \
 *     --device /dev/loop3 --seconds 20 --jobs 2 --region 134217728 [--warmup 2] [--seed 1] [--verify-after-write]
 *     [--protection T10_DIF_TYPE1 | NONE] [--no-oracle] [--plain]
 * </pre>
 */
public final class LoopVerifiedWorkload {

    private LoopVerifiedWorkload() {
    }

    public static void main(String[] args) throws Exception {
        Path device = null;
        double seconds = 20;
        double warmup = 2;
        int jobs = 2;
        long region = 128L << 20;
        long seed = 1;
        int bs = 4096;
        boolean verifyAfterWrite = false;
        boolean plain = false;
        boolean oracle = true;
        // fio verifies with crc32c: the equivalent guard is the NVMe CRC-32C tuple.
        io.staleguard.device.integrity.ProtectionFormat protection =
                io.staleguard.device.integrity.ProtectionFormat.NVME_CRC32C_TYPE1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--device" -> device = Path.of(args[++i]);
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--warmup" -> warmup = Double.parseDouble(args[++i]);
                case "--jobs" -> jobs = Integer.parseInt(args[++i]);
                case "--region" -> region = Long.parseLong(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--bs" -> bs = Integer.parseInt(args[++i]);
                case "--verify-after-write" -> verifyAfterWrite = true;
                case "--plain" -> plain = true;
                case "--no-oracle" -> oracle = false;
                case "--protection" -> protection = io.staleguard.device.integrity.ProtectionFormat.named(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "' (see the class comment)");
            }
        }
        if (device == null) {
            throw new IllegalArgumentException("--device is required (the loop device the script attached)");
        }
        if (plain) {
            runPlain(device, jobs, region, bs, seed, warmup, seconds);
            return;
        }
        try (LoopDevice dev = LoopDevice.builder().existingDevice(device).allowForeignDevice(true).sectorSize(bs)
                .capacity(region * jobs).seed(seed).protection(protection).verifyAfterWrite(verifyAfterWrite)
                .oracle(oracle).workers(1).build()) {
            BlockIo io = new BlockIo() {
                @Override
                public void read(ByteBuffer buf, long offset) throws IOException {
                    dev.read(buf, offset, IoMode.DIRECT);
                }

                @Override
                public void write(ByteBuffer buf, long offset) throws IOException {
                    dev.write(buf, offset, IoMode.DIRECT);
                }
            };
            warmUp(io, jobs, region, bs, seed, warmup);
            long before = dev.violations().total();
            long[] ops = run(io, jobs, region, bs, seed + 1000, seconds);
            long total = ops[0];
            double secs = ops[1] / 1e9;
            long violations = dev.violations().total() - before;
            double perOp = 1e3 * Math.max(1, total);
            System.out.printf("staleguard verified_iops=%.0f ops=%d seconds=%.2f violations=%d cpu_us_per_op=%.1f"
                    + " user_us_per_op=%.1f sys_us_per_op=%.1f process_cpu_us_per_op=%.1f device=%s%n", total / secs,
                    total, secs, violations, ops[2] / perOp, ops[3] / perOp, (ops[2] - ops[3]) / perOp, ops[4] / perOp,
                    dev.describe());
            dev.violations().all().stream().limit(5).forEach(v -> System.out.println("  " + v.summary()));
        }
    }

    /**
     * Warms up for {@code seconds}, then on in one-second slices while the JIT compiler is still
     * busy (more than 20 ms of compilation in the last slice), at most three times as long: at a
     * few thousand operations a second on a loaded machine, C2 may not be done after a fixed
     * warm-up, and its compiler threads would then compete with the timed run for the cores.
     */
    private static void warmUp(BlockIo dev, int jobs, long region, int bs, long seed, double seconds)
            throws InterruptedException {
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        boolean timed = jit != null && jit.isCompilationTimeMonitoringSupported();
        run(dev, jobs, region, bs, seed, seconds);
        long before = timed ? jit.getTotalCompilationTime() : 0;
        for (double extra = 0; timed && extra < 2 * seconds; extra += 1) {
            run(dev, jobs, region, bs, seed + 1 + (long) extra, 1);
            long now = jit.getTotalCompilationTime();
            if (now - before <= 20) {
                return;
            }
            before = now;
        }
    }

    /**
     * Runs the jobs for {@code seconds}; returns {ops, elapsed nanos, CPU nanos of the job threads, user-mode
     * CPU nanos of the job threads, CPU nanos of the whole JVM (JIT and GC threads too) over the run}.
     */
    private static long[] run(BlockIo dev, int jobs, long region, int bs, long seed, double seconds)
            throws InterruptedException {
        AtomicLong ops = new AtomicLong();
        AtomicLong cpu = new AtomicLong();
        AtomicLong user = new AtomicLong();
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long process0 = os.getProcessCpuTime();
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        Thread[] threads = new Thread[jobs];
        Throwable[] failure = new Throwable[1];
        long t0 = System.nanoTime();
        for (int j = 0; j < jobs; j++) {
            long base = region * j;
            long js = seed * 31 + j;
            threads[j] = new Thread(() -> {
                SplittableRandom rnd = new SplittableRandom(js);
                ByteBuffer buf = ByteBuffer.allocateDirect(2 * bs).alignedSlice(bs).limit(bs);
                // A native-order long view of the same memory: the fill below is one bulk copy, no byte swap.
                LongBuffer words = buf.duplicate().order(ByteOrder.nativeOrder()).asLongBuffer();
                long[] fill = new long[bs / Long.BYTES];
                long blocks = region / bs;
                long n = 0;
                long cpu0 = mx.getCurrentThreadCpuTime();
                long user0 = mx.getCurrentThreadUserTime();
                try {
                    while (System.nanoTime() < deadline) {
                        long off = base + rnd.nextLong(blocks) * bs;
                        buf.clear().limit(bs);
                        if (rnd.nextBoolean()) {
                            dev.read(buf, off);
                        } else {
                            // Fresh content for every write, as fio's verify fills every write buffer: a
                            // seeded 64-bit LCG with an xorshift output, one multiply per 8 bytes like fio's
                            // __fill_random_buf (SplittableRandom.nextBytes costs about 5x more per block).
                            long x = rnd.nextLong();
                            for (int i = 0; i < fill.length; i++) {
                                x = x * 0x5851F42D4C957F2DL + 0x14057B7EF767814FL;
                                fill[i] = x ^ (x >>> 29);
                            }
                            words.clear();
                            words.put(fill);
                            dev.write(buf, off);
                        }
                        n++;
                    }
                } catch (Throwable e) {
                    synchronized (failure) {
                        failure[0] = e;
                    }
                }
                ops.addAndGet(n);
                cpu.addAndGet(mx.getCurrentThreadCpuTime() - cpu0);
                user.addAndGet(mx.getCurrentThreadUserTime() - user0);
            }, "job-" + j);
            threads[j].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        long elapsed = System.nanoTime() - t0;
        if (failure[0] != null) {
            throw new IllegalStateException("workload failed", failure[0]);
        }
        return new long[] {ops.get(), elapsed, cpu.get(), user.get(), os.getProcessCpuTime() - process0};
    }

    /** A floor job thread's CRC-32C and the native address of the buffer it passes (the same one every call). */
    private static final class Job {
        final CRC32C crc = new CRC32C();
        private ByteBuffer buffer;
        private long base;

        long address(ByteBuffer buf) {
            if (buf != buffer) {
                buffer = buf;
                base = PositionalCalls.address(buf);
            }
            return base + buf.position();
        }
    }

    /** One job's synchronous block I/O: through the Staleguard device, or plain. */
    private interface BlockIo {
        void read(ByteBuffer buf, long offset) throws IOException;

        void write(ByteBuffer buf, long offset) throws IOException;
    }

    /** The {@code --plain} leg: the same jobs on an O_DIRECT descriptor, a CRC-32C per write, no checking. */
    private static void runPlain(Path device, int jobs, long region, int bs, long seed, double warmup, double seconds)
            throws Exception {
        POSIX posix = POSIXFactory.getNativePOSIX();
        int fd = posix.open(device.toString(), OpenFlags.O_RDWR | OpenFlags.O_CLOEXEC | OpenFlags.oDirect(), 0);
        if (fd < 0) {
            throw new IOException("cannot open " + device + " with O_DIRECT: " + posix.strerror(posix.errno()));
        }
        try {
            // Per job thread: one CRC-32C, what fio's verify=crc32c computes for each block it writes, kept in the
            // thread's own object (which outlives the call, so the JIT cannot drop it; a field both jobs wrote would
            // move one cache line between the cores on every write), and the job's buffer with its native address,
            // looked up once: the calls are Staleguard's own (PositionalCalls), by address, as the device makes them.
            ThreadLocal<Job> perThread = ThreadLocal.withInitial(Job::new);
            BlockIo io = new BlockIo() {
                @Override
                public void read(ByteBuffer buf, long offset) throws IOException {
                    Job job = perThread.get();
                    check(PositionalCalls.pread(fd, job.address(buf), buf.remaining(), offset), buf, "pread", offset);
                }

                @Override
                public void write(ByteBuffer buf, long offset) throws IOException {
                    Job job = perThread.get();
                    job.crc.reset();
                    job.crc.update(buf.duplicate());
                    check(PositionalCalls.pwrite(fd, job.address(buf), buf.remaining(), offset), buf, "pwrite", offset);
                }

                private void check(long n, ByteBuffer buf, String call, long offset) throws IOException {
                    if (n != buf.remaining()) {
                        throw new IOException(call + " at " + offset + " of " + device + " returned " + n
                                + (n < 0 ? " (" + posix.strerror(PositionalCalls.errno()) + ")" : ""));
                    }
                }
            };
            warmUp(io, jobs, region, bs, seed, warmup);
            long[] ops = run(io, jobs, region, bs, seed + 1000, seconds);
            double perOp = 1e3 * Math.max(1, ops[0]);
            System.out.printf("plain verified_iops=%.0f ops=%d seconds=%.2f violations=0 cpu_us_per_op=%.1f"
                    + " user_us_per_op=%.1f sys_us_per_op=%.1f process_cpu_us_per_op=%.1f device=plain(%s)%n",
                    ops[0] / (ops[1] / 1e9), ops[0], ops[1] / 1e9, ops[2] / perOp, ops[3] / perOp,
                    (ops[2] - ops[3]) / perOp, ops[4] / perOp, device);
        } finally {
            posix.close(fd);
        }
    }
}
