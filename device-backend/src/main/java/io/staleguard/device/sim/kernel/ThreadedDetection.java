package io.staleguard.device.sim.kernel;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.device.sim.kernel.internal.ProgramRun;
import io.staleguard.device.sim.kernel.internal.ThreadedPrograms;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * The detection table under real threads: for each hazard H1..H5, a small program with the I/O
 * pattern of its thread runs on a {@link SimulatedDevice} with the {@link KernelIoPath}, under the
 * hazard's {@link Hazard#historicalBug() historical bug} and under {@link KernelPreset#MODERN}, for
 * seeds 1..N. Unlike the deterministic {@link DetectionMatrix} and the gate-forced tests, nothing
 * forces the race: it has to happen in a natural window.
 * <ul>
 *   <li>H1, H2: the direct write's DMA delay, during which the reader's read-ahead caches the old
 *       page: widened from the device default (0 to 20 us, with which H1 was caught in only 3 of 5
 *       runs on a busy 2-core machine) to {@link #RING_DMA_MIN}..{@link #RING_DMA_MAX}, a slow disk.</li>
 *   <li>H3: the writeback DMA delay ({@link KernelIoPath#DEFAULT_WRITEBACK_DMA_NANOS}) and the flusher,
 *       at the path's defaults.</li>
 *   <li>H4: a DAX read fault's delay between block lookup and entry install,
 *       {@link KernelIoPath#dax(KernelConfig, Duration)} with {@link #DAX_FAULT_WINDOW}: widened (a
 *       fault without it is a few lock operations long), as a slow fault on a busy machine would be.
 *       Without a window the bug was caught in only 3 of 6 runs, with 100 us in 19 of 20; 300 us, the
 *       window of {@code DaxIoPathTest}: 100 of 100 on a quiet machine (docs/HAZARDS.md).</li>
 *   <li>H5: none is needed: under the bug every NOWAIT read of a fresh buffer over several extents is
 *       short (Filipe Manana's 2022 iomap thread); the table shows that the reader's pattern, not a race,
 *       is the hazard.</li>
 * </ul>
 * A bug run stops at its first violation; a MODERN run goes on to its operation budget or its wall-time
 * cap, and every violation in it is a false positive. Real threads are not deterministic: a seed fixes the
 * device's and the program's random choices, not the interleaving.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class ThreadedDetection {

    /** Least DMA delay of the H1/H2 direct writes. */
    public static final Duration RING_DMA_MIN = Duration.ofNanos(20_000);
    /** Greatest DMA delay of the H1/H2 direct writes. */
    public static final Duration RING_DMA_MAX = Duration.ofNanos(200_000);
    /** Greatest delay of an H4 DAX read fault between its lookup and its install. */
    public static final Duration DAX_FAULT_WINDOW = Duration.ofNanos(300_000);

    private static final int H3_PAGES = 8;
    /**
     * Fresh holes for the H4 writer: as many as {@link Settings#of}'s operation budget, so that the run is bounded by
     * its budget, not by running out of holes. With 4096 a run ended after about 4300 operations, and a loaded
     * machine, on which fewer faults meet a write, missed the bug in 1 or 2 of 5 runs (lazily allocated media:
     * only written pages cost memory).
     */
    private static final int H4_PAGES = 20_000;
    private static final int H5_GROUPS = 1024;

    private ThreadedDetection() {
    }

    /**
     * How much to run.
     *
     * @param runs     runs per row (seeds 1..runs)
     * @param opBudget program operations per run
     * @param wallCap  wall time per run
     */
    public record Settings(int runs, long opBudget, Duration wallCap) {
        /** Checks the values. */
        public Settings {
            if (runs < 1) {
                throw new IllegalArgumentException("runs must be >= 1, was " + runs);
            }
            if (opBudget < 1) {
                throw new IllegalArgumentException("operation budget must be >= 1, was " + opBudget);
            }
            Objects.requireNonNull(wallCap, "wallCap");
            if (wallCap.isNegative() || wallCap.isZero()) {
                throw new IllegalArgumentException("wall-time cap must be positive, was " + wallCap);
            }
        }

        /** {@code runs} runs of at most 20000 operations and 200 ms each. */
        public static Settings of(int runs) {
            return new Settings(runs, 20_000, Duration.ofMillis(200));
        }
    }

    /**
     * What one run saw.
     *
     * @param seed            the run's seed
     * @param firstNanos      wall time from the start to the first violation, -1 if none
     * @param counts          violations per kind
     * @param operations      operations the program did: I/O calls, mapped loads and stores
     * @param first           the first violation recorded, if any
     */
    public record Run(long seed, long firstNanos, Map<ViolationKind, Long> counts, long operations,
                      Optional<Violation> first) {
        /** Violations of every kind. */
        public long violations() {
            return counts.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * One row: a hazard under one preset.
     *
     * @param hazard the hazard
     * @param preset its historical bug, or MODERN
     * @param runs   every run, seed order
     */
    public record Row(Hazard hazard, KernelPreset preset, List<Run> runs) {

        /** Whether this is the historical-bug row (else MODERN). */
        public boolean bug() {
            return preset != KernelPreset.MODERN;
        }

        /** Runs with a violation of the hazard's kind. */
        public int detected() {
            return (int) runs.stream().filter(r -> r.counts().getOrDefault(hazard.expectedKind(), 0L) > 0).count();
        }

        /** Seeds of the runs without a violation of the hazard's kind. */
        public List<Long> missedSeeds() {
            return runs.stream().filter(r -> r.counts().getOrDefault(hazard.expectedKind(), 0L) == 0)
                    .map(Run::seed).toList();
        }

        /** Seeds of the runs with any violation. */
        public List<Long> violatingSeeds() {
            return runs.stream().filter(r -> r.violations() > 0).map(Run::seed).toList();
        }

        /** Every violation kind seen in any run. */
        public Set<ViolationKind> kinds() {
            Set<ViolationKind> s = EnumSet.noneOf(ViolationKind.class);
            runs.forEach(r -> r.counts().forEach((k, n) -> {
                if (n > 0) {
                    s.add(k);
                }
            }));
            return s;
        }

        /** Violations in all runs. */
        public long violations() {
            return runs.stream().mapToLong(Run::violations).sum();
        }

        /** Operations in all runs. */
        public long operations() {
            return runs.stream().mapToLong(Run::operations).sum();
        }

        /** Median wall time to the first violation over the runs that had one, -1 if none did. */
        public long medianFirstNanos() {
            long[] t = firstTimes();
            return t.length == 0 ? -1 : t[(t.length - 1) / 2];
        }

        /** Worst wall time to the first violation over the runs that had one, -1 if none did. */
        public long worstFirstNanos() {
            long[] t = firstTimes();
            return t.length == 0 ? -1 : t[t.length - 1];
        }

        /** The call that repeats the run with {@code seed}. */
        public String repro(long seed) {
            return "ThreadedDetection.runOnce(Hazard." + hazard + ", KernelPreset." + preset + ", " + seed
                    + "L, ThreadedDetection.Settings.of(1))";
        }

        private long[] firstTimes() {
            return runs.stream().mapToLong(Run::firstNanos).filter(t -> t >= 0).sorted().toArray();
        }
    }

    /**
     * The table.
     *
     * @param settings what was run
     * @param rows     per hazard its bug row, then its MODERN row
     */
    public record Report(Settings settings, List<Row> rows) {

        /**
         * Whether every bug row detected its hazard's kind in at least {@code minRate} of its runs and
         * every MODERN row is clean.
         */
        public boolean asExpected(double minRate) {
            return rows.stream().allMatch(r -> r.bug() ? r.detected() >= Math.ceil(minRate * r.runs().size())
                    : r.violations() == 0);
        }

        /** The table in Markdown. */
        public String toMarkdown() {
            StringBuilder b = new StringBuilder();
            b.append("| Hazard | Preset | Detected | Median to first | Worst to first | Kinds seen | Violations"
                    + " / operations |\n");
            b.append("|---|---|---|---|---|---|---|\n");
            for (Row r : rows) {
                String kinds = r.kinds().isEmpty() ? "none"
                        : r.kinds().stream().map(Enum::name).collect(Collectors.joining(", "));
                b.append("| ").append(r.hazard()).append(" | ").append(r.preset()).append(" | ");
                if (r.bug()) {
                    b.append(r.detected()).append('/').append(r.runs().size()).append(" | ")
                            .append(millis(r.medianFirstNanos())).append(" | ").append(millis(r.worstFirstNanos()));
                } else {
                    b.append("- | - | -");
                }
                b.append(" | ").append(kinds).append(" | ").append(r.violations()).append(" / ")
                        .append(r.operations()).append(" |\n");
            }
            return b.toString();
        }

        private static String millis(long nanos) {
            return nanos < 0 ? "-" : String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
        }
    }

    /** Every hazard, its bug row then its MODERN row. */
    public static Report run(Settings settings) throws Exception {
        return run(settings, Arrays.asList(Hazard.values()));
    }

    /** The given hazards, each its bug row then its MODERN row. */
    public static Report run(Settings settings, List<Hazard> hazards) throws Exception {
        List<Row> rows = new ArrayList<>();
        for (Hazard h : hazards) {
            for (KernelPreset p : List.of(h.historicalBug(), KernelPreset.MODERN)) {
                List<Run> runs = new ArrayList<>();
                for (long seed = 1; seed <= settings.runs(); seed++) {
                    runs.add(runOnce(h, p, seed, settings));
                }
                rows.add(new Row(h, p, runs));
            }
        }
        return new Report(settings, rows);
    }

    /**
     * One run of {@code hazard}'s program under {@code preset}: stops at the first violation unless
     * the preset is MODERN.
     */
    public static Run runOnce(Hazard hazard, KernelPreset preset, long seed, Settings settings) throws Exception {
        SimulatedDevice dev = device(hazard, preset.config(), seed);
        ProgramRun run = new ProgramRun(dev, settings.opBudget(), settings.wallCap().toNanos(),
                preset != KernelPreset.MODERN);
        switch (hazard) {
            case H1 -> ThreadedPrograms.ringBuffer(run, false);
            case H2 -> ThreadedPrograms.ringBuffer(run, true);
            case H3 -> ThreadedPrograms.writeAfterChecksum(run, seed, H3_PAGES);
            case H4 -> ThreadedPrograms.daxHoles(run, H4_PAGES);
            case H5 -> ThreadedPrograms.nowaitReads(run, H5_GROUPS);
        }
        run.execute();
        List<Violation> all = dev.violations().all();
        return new Run(seed, run.firstViolationNanos(), Map.copyOf(dev.violations().counts()), run.programOps(),
                all.isEmpty() ? Optional.empty() : Optional.of(all.get(0)));
    }

    private static SimulatedDevice device(Hazard hazard, KernelConfig cfg, long seed) {
        int page = ThreadedPrograms.PAGE;
        SimulatedDevice.Builder b = SimulatedDevice.builder().seed(seed);
        return switch (hazard) {
            case H1, H2 -> b.capacity((long) ThreadedPrograms.RING * page).blockSize(page)
                    .dmaDelay(RING_DMA_MIN, RING_DMA_MAX).ioPath(KernelIoPath.of(cfg)).build();
            case H3 -> b.capacity(1 << 20).blockSize(512).ioPath(KernelIoPath.of(cfg)).build();
            case H4 -> b.capacity((long) H4_PAGES * page).blockSize(page)
                    .ioPath(KernelIoPath.dax(cfg, DAX_FAULT_WINDOW)).build();
            case H5 -> b.capacity((long) H5_GROUPS * 4 * page).blockSize(page).ioPath(KernelIoPath.of(cfg)).build();
        };
    }
}
