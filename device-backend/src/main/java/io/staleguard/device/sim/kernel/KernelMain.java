package io.staleguard.device.sim.kernel;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apiguardian.api.API;

/**
 * Command line of the simulated stack.
 *
 * <pre>
 *   matrix [--ci|--full] [--seeds N] [--clean-ops N] [--threads N] [--hazards H1,H3] [--write docs/HAZARDS.md]
 *   run HAZARD[:MODE] CONFIG SEED [MAX_OPS]      e.g. run H3:WRITE STABLE_PAGES_WRITE_ONLY_2011 0x2a 1000000
 *   presets
 *   threads [--runs N]                           the detection table under real threads ({@link ThreadedDetection})
 * </pre>
 * CONFIG is a preset name, optionally followed by {@code +switch=VALUE,...} (see {@link KernelConfig#parse}).
 * Exit status: 0 as predicted / no violation, 1 a matrix row not as predicted or a violation found by
 * {@code run}, or a {@code threads} bug row detected in under 80 % of its runs or a MODERN row with a
 * violation, 2 bad arguments.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class KernelMain {

    private KernelMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            if (args.length == 0) {
                return matrix(new String[0], out);
            }
            String[] rest = Arrays.copyOfRange(args, 1, args.length);
            return switch (args[0]) {
                case "matrix" -> matrix(rest, out);
                case "run" -> runOne(rest, out);
                case "presets" -> presets(out);
                case "threads" -> threads(rest, out);
                default -> throw new IllegalArgumentException("unknown command '" + args[0] + "'");
            };
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println(usage());
            return 2;
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
    }

    static String usage() {
        return """
                usage:
                  matrix [--ci|--full] [--seeds N] [--clean-ops N] [--threads N] [--hazards H1,H3] [--write FILE]
                  run HAZARD[:MODE] CONFIG SEED [MAX_OPS]   (CONFIG: PRESET or PRESET+switch=VALUE,...)
                  presets
                  threads [--runs N]""";
    }

    /**
     * The detection matrix as the README's main job prints it after the soak.
     *
     * @param mode {@code quick} (20 seeds, 2*10^5 clean operations per row: seconds), {@code ci},
     *             {@code full} (10^7 per clean row) or {@code off}
     * @return whether every row behaved as the history predicts (true when off)
     * @throws IllegalArgumentException naming an unknown mode
     */
    public static boolean mainJobMatrix(String mode, PrintStream out) {
        DetectionMatrix.Settings s = switch (mode.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "off" -> null;
            case "quick" -> new DetectionMatrix.Settings(20, 1, 1_000_000, 200_000, 100_000, 5, 2);
            case "ci" -> DetectionMatrix.Settings.ci();
            case "full" -> DetectionMatrix.Settings.full();
            default -> throw new IllegalArgumentException("staleguard.matrix='" + mode
                    + "' is not one of quick, ci, full, off");
        };
        if (s == null) {
            return true;
        }
        out.println();
        out.println("Simulated kernel stack: detection matrix (" + mode + "; docs/HAZARDS.md has the full one)");
        DetectionMatrix.Report r = DetectionMatrix.run(s);
        out.print(r.toText());
        out.println(r.allAsPredicted() ? "matrix: every row as the history predicts"
                : "matrix: NOT as predicted");
        return r.allAsPredicted();
    }

    private static int presets(PrintStream out) {
        for (KernelPreset p : KernelPreset.all()) {
            out.printf("%-30s %-17s %s%n", p.name(), p.role(), p.summary());
            for (Reference r : p.references()) {
                out.printf("%-48s %s%n", "", r.citation());
            }
        }
        return 0;
    }

    private static int runOne(String[] a, PrintStream out) {
        if (a.length < 3 || a.length > 4) {
            throw new IllegalArgumentException("run takes HAZARD[:MODE] CONFIG SEED [MAX_OPS], got "
                    + Arrays.toString(a));
        }
        String[] hm = a[0].split(":", 2);
        Hazard h = Hazard.named(hm[0]);
        Hazard.Mode mode = hm.length == 2 ? mode(hm[1]) : h.defaultMode();
        KernelConfig cfg = KernelConfig.parse(a[1]);
        long seed = parseLong("SEED", a[2]);
        long max = a.length == 4 ? parseLong("MAX_OPS", a[3]) : 1_000_000;
        ScenarioResult r = ScenarioRunner.run(h, mode, cfg, seed, max, true);
        out.print(r.render());
        return r.detected() ? 1 : 0;
    }

    private static int threads(String[] a, PrintStream out) throws IOException {
        int runs = 20;
        for (int i = 0; i < a.length; i++) {
            if (!a[i].equals("--runs")) {
                throw new IllegalArgumentException("unknown threads option '" + a[i] + "'");
            }
            if (i + 1 >= a.length) {
                throw new IllegalArgumentException("option --runs needs a value");
            }
            runs = (int) parseLong("--runs", a[++i]);
        }
        ThreadedDetection.Report report;
        try {
            report = ThreadedDetection.run(ThreadedDetection.Settings.of(runs));
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("threads: " + e, e);
        }
        out.print(report.toMarkdown());
        return report.asExpected(0.8) ? 0 : 1;
    }

    private static Hazard.Mode mode(String s) {
        for (Hazard.Mode m : Hazard.Mode.values()) {
            if (m.name().equalsIgnoreCase(s.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown mode '" + s + "' (expected one of "
                + Arrays.toString(Hazard.Mode.values()) + ")");
    }

    private static int matrix(String[] a, PrintStream out) throws IOException {
        DetectionMatrix.Settings s = DetectionMatrix.Settings.ci();
        int seeds = s.seeds();
        long clean = s.cleanOpsPerRow();
        int threads = s.threads();
        List<Hazard> hazards = Arrays.asList(Hazard.values());
        Path write = null;
        List<String> cmd = new ArrayList<>(List.of("matrix"));
        for (int i = 0; i < a.length; i++) {
            String opt = a[i];
            cmd.add(opt);
            switch (opt) {
                case "--ci" -> s = DetectionMatrix.Settings.ci();
                case "--full" -> s = DetectionMatrix.Settings.full();
                case "--seeds", "--clean-ops", "--threads", "--hazards", "--write" -> {
                    if (i + 1 >= a.length) {
                        throw new IllegalArgumentException("option " + opt + " needs a value");
                    }
                    String v = a[++i];
                    cmd.add(v);
                    switch (opt) {
                        case "--seeds" -> seeds = (int) parseLong(opt, v);
                        case "--clean-ops" -> clean = parseLong(opt, v);
                        case "--threads" -> threads = (int) parseLong(opt, v);
                        case "--hazards" -> hazards = Arrays.stream(v.split(",")).map(Hazard::named).toList();
                        default -> write = Path.of(v);
                    }
                    continue;
                }
                default -> throw new IllegalArgumentException("unknown matrix option '" + opt + "'");
            }
            seeds = s.seeds();
            clean = s.cleanOpsPerRow();
            threads = s.threads();
        }
        DetectionMatrix.Settings settings = new DetectionMatrix.Settings(seeds, s.firstSeed(), s.detectionBudget(),
                clean, s.rateOpsPerRow(), s.rateSeeds(), threads);
        DetectionMatrix.Report report = DetectionMatrix.run(settings, hazards);
        out.print(report.toText());
        if (write != null) {
            String command = "mvn -B -q -pl device-backend exec:java -Dexec.mainClass=" + ScenarioRunner.MAIN
                    + " -Dexec.args=\"" + String.join(" ", cmd) + "\"";
            HazardsDoc.write(write, report, command);
            out.println("wrote " + write);
        }
        return report.allAsPredicted() ? 0 : 1;
    }

    private static long parseLong(String what, String v) {
        try {
            String t = v.trim().replace("_", "");
            return t.startsWith("0x") || t.startsWith("0X") ? Long.parseUnsignedLong(t.substring(2), 16)
                    : Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " '" + v + "' is not a number");
        }
    }
}
