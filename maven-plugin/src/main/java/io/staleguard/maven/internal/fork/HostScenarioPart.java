package io.staleguard.maven.internal.fork;

import io.staleguard.device.BlockDevice;
import io.staleguard.device.Seeds;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationLog;
import io.staleguard.device.file.RealBlockDevice;
import io.staleguard.device.file.RingBufferWorkload;
import io.staleguard.maven.internal.model.ReportedEvent;
import io.staleguard.maven.internal.model.ReportedViolation;
import io.staleguard.maven.internal.model.ScenarioStats;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The built-in hazard scenarios that can run on a real kernel, H1 and H2 ({@link RingBufferWorkload}), on the soak's
 * real backend ({@code staleguard.backend=file|loop}), where they test the host's kernel, filesystem and device:
 * one fresh device per run, H1 and H2 in turn, until the budget ends. Their rows are the detection matrix's
 * {@code HOST_FILE} or {@code HOST_LOOP} preset. H3–H5 need switches only the simulated stack has (stable pages,
 * DAX fault locking, the iomap short read), so they stay there.
 */
final class HostScenarioPart implements SoakPart {

    private static final List<String> HAZARDS = List.of("H1", "H2");

    private final String backend;
    private final DeviceOpener opener;
    private final String preset;

    HostScenarioPart(String backend, DeviceOpener opener) {
        this.backend = backend;
        this.opener = opener;
        this.preset = presetOf(backend);
    }

    /** The matrix row of {@code backend}'s host runs: {@code HOST_LOOP}, {@code HOST_FILE}. */
    static String presetOf(String backend) {
        return "HOST_" + backend.toUpperCase(Locale.ROOT);
    }

    @Override
    public boolean prepare(SoakContext ctx) {
        // An unavailable backend is recorded and logged once, by the workload part on the same backend.
        if (!opener.unavailable(backend).isEmpty()) {
            return false;
        }
        HAZARDS.forEach(h -> ctx.stats.declareScenario(h, preset));
        return true;
    }

    @Override
    public String describe() {
        return "hazard scenarios H1,H2 (the ring buffer under read-ahead) on the " + backend + " backend";
    }

    @Override
    public String why() {
        return "the host's kernel, filesystem and device (staleguard.backend=" + backend + "; H3-H5 need the "
                + "simulated stack's switches)";
    }

    @Override
    public void run(SoakContext ctx, long deadlineNanos) throws Exception {
        Path work = Path.of(ctx.config.workDirectory()).resolve("devices");
        long writes = Math.max(RingBufferWorkload.RING_BLOCKS, ctx.config.opsPerRun() / 10);
        // At least one run of each hazard, however short the budget.
        for (long t = 0; t < HAZARDS.size() ? !ctx.stop.get() : !ctx.over(deadlineNanos); t++) {
            String hazard = HAZARDS.get((int) (t % HAZARDS.size()));
            runOne(ctx, work, hazard, ctx.seeds.seed(hazard + "@" + preset, t / HAZARDS.size()), writes);
        }
    }

    private void runOne(SoakContext ctx, Path work, String hazard, long seed, long writes) throws Exception {
        try (BlockDevice device = opener.open(backend, work, ctx.config.deviceBytes(), seed)) {
            if (!(device instanceof RealBlockDevice real)) {
                throw new IllegalStateException("the " + backend + " backend gave no real device: " + device.describe());
            }
            RingBufferWorkload.Result r = (hazard.equals("H2") ? RingBufferWorkload.h2(real, writes, seed)
                    : RingBufferWorkload.h1(real, writes, seed)).run();
            device.flush();
            ViolationLog log = device.finish();
            Map<String, Long> counts = new LinkedHashMap<>();
            log.counts().forEach((k, v) -> counts.put(k.name(), v));
            long total = log.total();
            String seedText = Seeds.hex(seed);
            String reproduce = "mvn staleguard:soak staleguard:check -Dstaleguard.backend=" + backend
                    + " -Dstaleguard.seed=" + Seeds.hex(ctx.seeds.master()) + " -Dstaleguard.shard=" + ctx.config.shard();
            ctx.stats.addScenario(new ScenarioStats(hazard, preset, 1, r.operations(), total > 0 ? 1 : 0, counts,
                    total > 0 ? r.operations() : 0, total > 0 ? r.operations() : 0, total > 0 ? reproduce : ""));
            String name = hazard + " on " + preset;
            for (Violation v : log.all()) {
                ctx.record("scenario", name, hazard, preset, seedText, reproduce, ReportedViolation.of(v),
                        v.timeline().stream().map(ReportedEvent::of).toList(), List.of(), r.operations());
            }
            if (r.selfCheckMismatches() > 0 && total == 0) {
                // The reader's own comparison saw old data that the oracle did not: worth a loud line, not silence.
                ctx.out.println(ForkProtocol.ERROR + name + " (seed " + seedText + "): " + r.selfCheckMismatches()
                        + " reads were not the awaited write's data, but the oracle reported none");
            }
        }
    }
}
