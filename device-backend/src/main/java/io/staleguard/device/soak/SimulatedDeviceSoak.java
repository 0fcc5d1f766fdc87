package io.staleguard.device.soak;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.staleguard.device.CompletionOrder;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.ViolationLog;
import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.device.sim.SoakWorkload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apiguardian.api.API;

/**
 * The main job until the Maven plugin's soak replaces it: a seeded, correct, mixed workload on a
 * {@link SimulatedDevice} for a while, then a summary. Exits 1 if any violation (or data
 * mismatch) was found, 2 on a usage error.
 *
 * <p>System properties: {@code staleguard.duration} (default {@code 10s}; {@code 500ms},
 * {@code 30s}, {@code 2m} or plain seconds), {@code staleguard.seed} (decimal or 0x-hex; default
 * random, printed), {@code staleguard.threads} (default 2), {@code staleguard.matrix} (the simulated
 * kernel stack's detection matrix printed after the soak: {@code quick} (default), {@code ci},
 * {@code full} or {@code off}; see {@link io.staleguard.device.sim.kernel.KernelMain}).
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class SimulatedDeviceSoak {

    private SimulatedDeviceSoak() {
    }

    /** Runs the soak; see the class comment for the options. */
    public static void main(String[] args) throws Exception {
        Duration duration;
        int threads;
        try {
            duration = parseDuration(System.getProperty("staleguard.duration", "10s"));
            threads = Integer.parseInt(System.getProperty("staleguard.threads", "2").trim());
            if (threads < 1 || threads > 64) {
                throw new IllegalArgumentException("staleguard.threads=" + threads + " is not in 1..64");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("staleguard soak: " + e.getMessage());
            System.exit(2);
            return;
        }
        int region = 8 << 20;
        SimulatedDevice device = SimulatedDevice.builder()
                .capacity((long) threads * region)
                .blockSize(4096)
                .shortTransferProbability(0.05)
                .dmaDelay(Duration.ZERO, Duration.ofNanos(20_000))
                .completionOrder(CompletionOrder.REORDERED)
                .build();
        long seed = device.seed();
        System.out.println("Staleguard soak on " + device.describe());
        System.out.println("duration " + duration.toMillis() / 1000.0 + " s, " + threads + " thread(s)");

        List<SoakWorkload> workloads = new ArrayList<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        List<Thread> running = new ArrayList<>();
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        for (int t = 0; t < threads; t++) {
            SoakWorkload w = new SoakWorkload(device, t, (long) t * region, region, seed + t);
            workloads.add(w);
            Thread th = new Thread(() -> {
                try {
                    w.runUntil(deadline);
                } catch (Throwable e) {
                    errors.add(e);
                }
            }, "soak-" + t);
            running.add(th);
            th.start();
        }
        for (Thread th : running) {
            th.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        ViolationLog log = device.finish();
        long mismatches = workloads.stream().mapToLong(SoakWorkload::modelMismatches).sum();
        long ops = device.operations();
        double mb = device.bytesTransferred() / 1e6;
        device.close();

        System.out.printf(Locale.ROOT, "operations %d (%.0f/s), %.1f MB transferred (%.1f MB/s)%n", ops, ops / seconds,
                mb, mb / seconds);
        StringBuilder kinds = new StringBuilder();
        for (ViolationKind k : ViolationKind.values()) {
            kinds.append(kinds.length() == 0 ? "" : ", ").append(k.inWords()).append('=').append(log.count(k));
        }
        System.out.println("violations: " + log.total() + " (" + kinds + ")");
        log.all().stream().limit(10).forEach(v -> System.out.println("  " + v.summary()));
        String reproduce = "mvn -B -q -pl device-backend exec:java -Dstaleguard.seed=0x" + Long.toHexString(seed)
                + " -Dstaleguard.duration=" + duration.toMillis() + "ms -Dstaleguard.threads=" + threads;
        System.out.println("seed 0x" + Long.toHexString(seed) + "; reproduce: " + reproduce);
        for (Throwable e : errors) {
            System.out.println("workload error: " + e);
        }
        boolean matrixOk = io.staleguard.device.sim.kernel.KernelMain.mainJobMatrix(
                System.getProperty("staleguard.matrix", "quick"), System.out);
        if (log.total() > 0 || mismatches > 0 || !errors.isEmpty() || !matrixOk) {
            System.out.println("FAILED: " + log.total() + " violation(s), " + mismatches + " data mismatch(es), "
                    + errors.size() + " error(s)" + (matrixOk ? "" : ", detection matrix not as predicted"));
            System.exit(1);
        }
        System.out.println("OK: no violations");
    }

    public static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
            }
            if (t.endsWith("s")) {
                return Duration.ofMillis((long) (Double.parseDouble(t.substring(0, t.length() - 1).trim()) * 1000));
            }
            if (t.endsWith("m")) {
                return Duration.ofMillis((long) (Double.parseDouble(t.substring(0, t.length() - 1).trim()) * 60_000));
            }
            return Duration.ofMillis((long) (Double.parseDouble(t) * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("staleguard.duration='" + text
                    + "' is not a duration such as 500ms, 10s or 2m", e);
        }
    }
}
