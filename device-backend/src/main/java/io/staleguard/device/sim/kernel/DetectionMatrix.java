package io.staleguard.device.sim.kernel;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.staleguard.device.ViolationKind;
import io.staleguard.device.sim.kernel.internal.ScenarioEngine;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apiguardian.api.API;

/**
 * The detection matrix: every hazard under every preset of its history, on the deterministic
 * scheduler, against what the mailing-list thread predicted.
 *
 * <ul>
 *   <li>Historical bug: detected in every seed; median and worst operations, virtual time and wall
 *       time to the first violation.</li>
 *   <li>Intermediate fix: what the thread said, e.g. the 2008 workqueue patch is "sometimes wrong"
 *       (fewer violations per operation than the bug, but not none), Darrick's write()-only wait
 *       fails in mmap mode and passes in write() mode.</li>
 *   <li>Fixes and MODERN: no violation in all the operations run.</li>
 * </ul>
 * Rows are independent and deterministic; they run on {@link Settings#threads()} threads.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class DetectionMatrix {

    /** What the history predicts for a row. */
    public enum Expectation {
        /** The bug: found in every seed. */
        DETECTED_EVERY_SEED,
        /** A partial fix the thread called "sometimes wrong": violations, at a lower rate than the bug. */
        SOMETIMES,
        /** A fix: never found. */
        NEVER
    }

    /**
     * How much to run.
     *
     * @param seeds           seeds per row (seeds {@code firstSeed .. firstSeed + seeds - 1})
     * @param firstSeed       the first seed
     * @param detectionBudget operations per seed when a violation is expected (the run stops at the
     *                        first); rows of partial fixes use 1/{@value DetectionMatrix#SOMETIMES_BUDGET_DIVISOR}
     *                        of it
     * @param cleanOpsPerRow  operations per row, summed over its seeds, when no violation is expected
     * @param rateOpsPerRow   operations per row, summed over {@code rateSeeds} seeds, of the continuing
     *                        runs that count violations per operation (rows expecting violations)
     * @param rateSeeds       seeds of the rate runs
     * @param threads         worker threads
     */
    public record Settings(int seeds, long firstSeed, long detectionBudget, long cleanOpsPerRow, long rateOpsPerRow,
                           int rateSeeds, int threads) {

        public Settings {
            positive("seeds", seeds);
            positive("detectionBudget", detectionBudget);
            positive("cleanOpsPerRow", cleanOpsPerRow);
            positive("rateOpsPerRow", rateOpsPerRow);
            positive("rateSeeds", rateSeeds);
            positive("threads", threads);
            if (cleanOpsPerRow < seeds) {
                throw new IllegalArgumentException("cleanOpsPerRow " + cleanOpsPerRow + " is below the number of seeds "
                        + seeds);
            }
        }

        private static void positive(String what, long v) {
            if (v <= 0) {
                throw new IllegalArgumentException(what + " must be > 0, was " + v);
            }
        }

        /** The full matrix of the issue: 100 seeds, 10^7 clean operations per clean row. */
        public static Settings full() {
            return new Settings(100, 1, 1_000_000, 10_000_000, 2_000_000, 20, 2);
        }

        /**
         * The CI test's matrix: the full matrix with shorter counting runs (300,000 operations per row
         * instead of 2*10^6); clean rows still run 10^7 operations each.
         */
        public static Settings ci() {
            return new Settings(100, 1, 1_000_000, 10_000_000, 300_000, 10, 2);
        }
    }

    /**
     * One row.
     *
     * @param hazard           the hazard
     * @param mode             the workload variant
     * @param preset           the preset
     * @param expectation      what the history predicts
     * @param seeds            seeds run
     * @param detectedSeeds    seeds in which a violation was found
     * @param kind             the kind of the first violation found (null if none)
     * @param medianOps        median operations to the first violation over detecting seeds (0 if none)
     * @param worstOps         worst operations to the first violation
     * @param medianVirtualNanos median virtual time to the first violation
     * @param worstVirtualNanos  worst virtual time to the first violation
     * @param medianWallNanos  median wall time to the first violation
     * @param worstWallNanos   worst wall time to the first violation
     * @param operations       operations run by the detection runs (all seeds)
     * @param rateOperations   operations of the continuing (counting) runs, or of the clean runs
     * @param rateViolations   violations counted in them
     * @param asPredicted      whether the row behaves as the thread predicted
     * @param example          an explained run (timeline and minimal log) of the first detecting seed, or null
     */
    public record Row(Hazard hazard, Hazard.Mode mode, KernelPreset preset, Expectation expectation, int seeds,
                      int detectedSeeds, ViolationKind kind, long medianOps, long worstOps, long medianVirtualNanos,
                      long worstVirtualNanos, long medianWallNanos, long worstWallNanos, long operations,
                      long rateOperations, long rateViolations, boolean asPredicted, ScenarioResult example) {

        /** Violations per million operations of the counting runs. */
        public double violationsPerMillionOps() {
            return rateOperations == 0 ? 0 : rateViolations * 1e6 / rateOperations;
        }

        /** "H3 (MMAP)" or "H1". */
        public String label() {
            return hazard + (mode == Hazard.Mode.STANDARD ? "" : " " + mode.name().toLowerCase(Locale.ROOT));
        }
    }

    /** The matrix and how it was run. */
    public record Report(Settings settings, List<Row> rows, long wallNanos) {

        /** Whether every row behaved as predicted. */
        public boolean allAsPredicted() {
            return rows.stream().allMatch(Row::asPredicted);
        }

        /** A fixed-width text table for terminals and build logs. */
        public String toText() {
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "%-9s %-30s %-19s %8s %-14s %9s %9s %10s %10s %9s %12s %s%n",
                    "hazard", "preset", "expected", "detected", "kind", "med.ops", "worst.ops", "med.virt",
                    "worst.virt", "med.wall", "viol/1e6ops", "ok"));
            for (Row r : rows) {
                b.append(String.format(Locale.ROOT, "%-9s %-30s %-19s %8s %-14s %9s %9s %10s %10s %9s %12s %s%n",
                        r.label(), r.preset(), r.expectation(), r.detectedSeeds() + "/" + r.seeds(),
                        r.kind() == null ? "-" : r.kind().inWords(), num(r, r.medianOps()), num(r, r.worstOps()),
                        time(r, r.medianVirtualNanos()), time(r, r.worstVirtualNanos()), time(r, r.medianWallNanos()),
                        String.format(Locale.ROOT, "%.1f", r.violationsPerMillionOps()), r.asPredicted() ? "yes" : "NO"));
            }
            b.append(footer());
            return b.toString();
        }

        /** The same as a markdown table. */
        public String toMarkdown() {
            StringBuilder b = new StringBuilder();
            b.append("| hazard | preset | expected | detected (seeds) | kind | median ops | worst ops | median virtual"
                    + " | worst virtual | median wall | violations per 10^6 ops | as predicted |\n");
            b.append("|---|---|---|---|---|---:|---:|---:|---:|---:|---:|---|\n");
            for (Row r : rows) {
                b.append("| ").append(r.label()).append(" | `").append(r.preset()).append("` | ")
                        .append(r.expectation()).append(" | ").append(r.detectedSeeds()).append('/').append(r.seeds())
                        .append(" | ").append(r.kind() == null ? "-" : r.kind().inWords()).append(" | ")
                        .append(num(r, r.medianOps())).append(" | ").append(num(r, r.worstOps())).append(" | ")
                        .append(time(r, r.medianVirtualNanos())).append(" | ").append(time(r, r.worstVirtualNanos()))
                        .append(" | ").append(time(r, r.medianWallNanos())).append(" | ")
                        .append(String.format(Locale.ROOT, "%.1f", r.violationsPerMillionOps())).append(" (")
                        .append(r.rateViolations()).append(" in ").append(r.rateOperations()).append(" ops) | ")
                        .append(r.asPredicted() ? "yes" : "**NO**").append(" |\n");
            }
            b.append('\n').append(footer());
            return b.toString();
        }

        private String footer() {
            return String.format(Locale.ROOT, "seeds %d..%d; detection budget %d ops/seed; clean rows %d ops each; "
                            + "rate runs %d ops over %d seeds; %d thread(s); matrix wall time %.1f s%n",
                    settings.firstSeed(), settings.firstSeed() + settings.seeds() - 1, settings.detectionBudget(),
                    settings.cleanOpsPerRow(), settings.rateOpsPerRow(), settings.rateSeeds(), settings.threads(),
                    wallNanos / 1e9);
        }

        private static String num(Row r, long v) {
            return r.detectedSeeds() == 0 ? "-" : Long.toString(v);
        }

        private static String time(Row r, long nanos) {
            if (r.detectedSeeds() == 0) {
                return "-";
            }
            return nanos >= 1_000_000 ? String.format(Locale.ROOT, "%.2f ms", nanos / 1e6)
                    : String.format(Locale.ROOT, "%.1f us", nanos / 1e3);
        }
    }

    /** A SOMETIMES row's per-seed budget is the detection budget divided by this. */
    public static final int SOMETIMES_BUDGET_DIVISOR = 50;

    private DetectionMatrix() {
    }

    /** The rows of the matrix, in order: per hazard and mode, the bug first, MODERN last. */
    public static List<RowSpec> rows(List<Hazard> hazards) {
        List<RowSpec> specs = new ArrayList<>();
        for (Hazard h : hazards) {
            for (Hazard.Mode m : h.modes()) {
                List<KernelPreset> ps = new ArrayList<>(h.presets());
                ps.sort((a, b) -> Integer.compare(order(h, a), order(h, b)));
                for (KernelPreset p : ps) {
                    specs.add(new RowSpec(h, m, p, expectation(h, m, p)));
                }
                specs.add(new RowSpec(h, m, KernelPreset.MODERN, Expectation.NEVER));
            }
        }
        return specs;
    }

    private static int order(Hazard h, KernelPreset p) {
        return p == h.historicalBug() ? 0 : p.role().ordinal() + 1;
    }

    /** One row to run: hazard, mode, preset and the predicted behaviour. */
    public record RowSpec(Hazard hazard, Hazard.Mode mode, KernelPreset preset, Expectation expectation) {
    }

    /** What the thread predicts for {@code preset} on {@code hazard} in {@code mode}. */
    public static Expectation expectation(Hazard hazard, Hazard.Mode mode, KernelPreset preset) {
        if (preset.hazard().orElse(null) != hazard) {
            return Expectation.NEVER;
        }
        if (preset == KernelPreset.STABLE_PAGES_WRITE_ONLY_2011) {
            // "It does seem to be working for the pure pwrite() case" / "scribbling furiously on a mmap'd region".
            return mode == Hazard.Mode.WRITE ? Expectation.NEVER : Expectation.DETECTED_EVERY_SEED;
        }
        return switch (preset.role()) {
            case HISTORICAL_BUG -> Expectation.DETECTED_EVERY_SEED;
            case INTERMEDIATE_FIX -> Expectation.SOMETIMES;
            case FIX -> Expectation.NEVER;
        };
    }

    /** Runs the whole matrix. */
    public static Report run(Settings settings) {
        return run(settings, Arrays.asList(Hazard.values()));
    }

    /** Runs the matrix for some hazards. */
    public static Report run(Settings settings, List<Hazard> hazards) {
        long t0 = System.nanoTime();
        warmUp();
        List<RowSpec> specs = rows(hazards);
        ExecutorService pool = Executors.newFixedThreadPool(settings.threads(), r -> {
            Thread t = new Thread(r, "detection-matrix");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Row>> futures = new ArrayList<>();
            for (RowSpec s : specs) {
                futures.add(pool.submit(() -> runRow(s, settings)));
            }
            List<Row> rows = new ArrayList<>();
            for (Future<Row> f : futures) {
                rows.add(f.get());
            }
            rows = judgeSometimes(rows);
            return new Report(settings, List.copyOf(rows), System.nanoTime() - t0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("detection matrix interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("detection matrix row failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static void warmUp() {
        // Wall times to detection are reported; let the JIT compile the scheduler and the model first.
        for (Hazard h : Hazard.values()) {
            ScenarioEngine.count(h, h.defaultMode(), KernelPreset.MODERN.config(), -1, 20_000);
        }
    }

    /** Runs one row (deterministic: the same settings give the same row, apart from wall times). */
    public static Row runRow(RowSpec spec, Settings settings) {
        KernelConfig cfg = spec.preset().config();
        boolean expectViolations = spec.expectation() != Expectation.NEVER;
        // A partial fix's seeds may never fail; its verdict comes from the counting runs, so its per-seed
        // detection runs get a small budget.
        long budget = switch (spec.expectation()) {
            case DETECTED_EVERY_SEED -> settings.detectionBudget();
            case SOMETIMES -> Math.max(1, settings.detectionBudget() / SOMETIMES_BUDGET_DIVISOR);
            case NEVER -> settings.cleanOpsPerRow() / settings.seeds();
        };
        long[] ops = new long[settings.seeds()];
        long[] virt = new long[settings.seeds()];
        long[] wall = new long[settings.seeds()];
        int detected = 0;
        long total = 0;
        long cleanViolations = 0;
        ViolationKind kind = null;
        long exampleSeed = Long.MIN_VALUE;
        for (int i = 0; i < settings.seeds(); i++) {
            long seed = settings.firstSeed() + i;
            ScenarioResult r = ScenarioRunner.run(spec.hazard(), spec.mode(), cfg, seed, budget, false);
            total += r.operations();
            if (r.detected()) {
                ops[detected] = r.operations();
                virt[detected] = r.virtualNanos();
                wall[detected] = r.wallNanos();
                detected++;
                cleanViolations += r.violations().size();
                if (kind == null) {
                    kind = r.violations().get(0).kind();
                    exampleSeed = seed;
                }
            }
        }
        long rateOps = total;
        long rateViolations = cleanViolations;
        if (expectViolations) {
            rateOps = 0;
            rateViolations = 0;
            long per = settings.rateOpsPerRow() / settings.rateSeeds();
            for (int i = 0; i < settings.rateSeeds(); i++) {
                ScenarioEngine.Tally t = ScenarioEngine.count(spec.hazard(), spec.mode(), cfg,
                        settings.firstSeed() + i, per);
                rateOps += t.operations();
                rateViolations += t.violations();
            }
        }
        ScenarioResult example = exampleSeed == Long.MIN_VALUE ? null
                : ScenarioRunner.run(spec.hazard(), spec.mode(), cfg, exampleSeed, budget, true);
        long[] o = Arrays.copyOf(ops, detected);
        long[] v = Arrays.copyOf(virt, detected);
        long[] w = Arrays.copyOf(wall, detected);
        boolean ok = switch (spec.expectation()) {
            case DETECTED_EVERY_SEED -> detected == settings.seeds() && kind == spec.hazard().expectedKind();
            case NEVER -> detected == 0 && rateViolations == 0;
            case SOMETIMES -> rateViolations > 0 && kind == spec.hazard().expectedKind();
        };
        return new Row(spec.hazard(), spec.mode(), spec.preset(), spec.expectation(), settings.seeds(), detected,
                kind, median(o), max(o), median(v), max(v), median(w), max(w), total, rateOps, rateViolations, ok,
                example);
    }

    /** "Sometimes wrong" also means less often than the bug: compare with the bug row of the same hazard. */
    private static List<Row> judgeSometimes(List<Row> rows) {
        List<Row> out = new ArrayList<>(rows.size());
        for (Row row : rows) {
            Row r = row;
            if (r.expectation() == Expectation.SOMETIMES && r.asPredicted()) {
                Row bug = rows.stream().filter(x -> x.hazard() == row.hazard() && x.mode() == row.mode()
                        && x.preset() == row.hazard().historicalBug()).findFirst().orElse(null);
                boolean less = bug == null || r.violationsPerMillionOps() < bug.violationsPerMillionOps();
                if (!less) {
                    r = new Row(r.hazard(), r.mode(), r.preset(), r.expectation(), r.seeds(), r.detectedSeeds(),
                            r.kind(), r.medianOps(), r.worstOps(), r.medianVirtualNanos(), r.worstVirtualNanos(),
                            r.medianWallNanos(), r.worstWallNanos(), r.operations(), r.rateOperations(),
                            r.rateViolations(), false, r.example());
                }
            }
            out.add(r);
        }
        return out;
    }

    private static long median(long[] a) {
        if (a.length == 0) {
            return 0;
        }
        long[] c = a.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }

    private static long max(long[] a) {
        long m = 0;
        for (long x : a) {
            m = Math.max(m, x);
        }
        return m;
    }
}
