package io.staleguard.maven.internal.fork;

import io.staleguard.device.Seeds;
import io.staleguard.device.BlockDevice;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.ViolationLog;
import io.staleguard.maven.internal.model.ReportedEvent;
import io.staleguard.maven.internal.model.ReportedViolation;
import io.staleguard.maven.internal.model.WorkloadStats;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Part 3 of a soak ({@code staleguard.backend=file|loop}): the verified random-I/O workload on a
 * real backend, one fresh device per seed, about a minute per device so long soaks cycle through
 * many seeds and device lifecycles.
 */
final class WorkloadPart implements SoakPart {

    /** A device lives at most this long before the next seed gets a fresh one. */
    static final long ROUND_NANOS = 60_000_000_000L;

    private final String backend;
    private final DeviceOpener opener;

    WorkloadPart(String backend, DeviceOpener opener) {
        this.backend = backend;
        this.opener = opener;
    }

    @Override
    public boolean prepare(SoakContext ctx) {
        String why = opener.unavailable(backend);
        if (!why.isEmpty()) {
            // A nightly asked for this backend explicitly: say so loudly and record it, never pass silently.
            ctx.out.println(ForkProtocol.ERROR + "backend " + backend + " is unavailable: " + why);
            ctx.stats.addWorkload(new WorkloadStats(backend, "", 0, 0, 0, Map.of(), why));
            return false;
        }
        return true;
    }

    @Override
    public String describe() {
        return "verified random I/O on the " + backend + " backend";
    }

    @Override
    public String why() {
        return "the host's kernel, filesystem and device (staleguard.backend=" + backend + ")";
    }

    @Override
    public void run(SoakContext ctx, long deadlineNanos) throws Exception {
        Path work = Path.of(ctx.config.workDirectory()).resolve("devices");
        // At least one device, however short the budget.
        for (long j = 0; j == 0 ? !ctx.stop.get() : !ctx.over(deadlineNanos); j++) {
            long seed = ctx.seeds.seed("workload-" + backend, j);
            String seedText = Seeds.hex(seed);
            try (BlockDevice device = opener.open(backend, work, ctx.config.deviceBytes(), seed)) {
                long roundEnd = Math.min(deadlineNanos, System.nanoTime() + ROUND_NANOS);
                RandomIoWorkload w = new RandomIoWorkload(device, seed);
                String description = device.describe();
                ViolationLog log;
                ctx.stats.workloadRoundStarted(() -> new WorkloadStats(backend, description, 1, w.operations(),
                        w.bytes(), names(device.violations().counts()), ""));
                try {
                    w.run(() -> ctx.over(roundEnd));
                    device.flush();
                    log = device.finish();
                    ctx.stats.addWorkload(new WorkloadStats(backend, description, 1, w.operations(), w.bytes(),
                            names(log.counts()), ""));
                } finally {
                    // Only if the round failed: its numbers so far stay in the summary before the device closes.
                    ctx.stats.settleWorkloadRound();
                }
                String reproduce = "mvn staleguard:soak -Dstaleguard.backend=" + backend + " -Dstaleguard.seed="
                        + Seeds.hex(ctx.seeds.master()) + " -Dstaleguard.shard=" + ctx.config.shard();
                for (Violation v : log.all()) {
                    ctx.record("workload", backend + " workload", "", "", seedText, reproduce, ReportedViolation.of(v),
                            v.timeline().stream().map(ReportedEvent::of).toList(), java.util.List.of(),
                            w.operations());
                }
            }
        }
    }

    private static Map<String, Long> names(Map<ViolationKind, Long> counts) {
        Map<String, Long> out = new LinkedHashMap<>();
        counts.forEach((k, v) -> out.put(k.name(), v));
        return out;
    }
}
