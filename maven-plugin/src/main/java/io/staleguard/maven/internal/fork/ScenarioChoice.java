package io.staleguard.maven.internal.fork;

import java.util.Locale;

/**
 * Whether a soak spends budget on the built-in hazard scenarios H1–H5 of the simulated stack, and why. By default
 * ({@code staleguard.kernel} unset or {@code AUTO}) it does not: on the simulated stack they check Staleguard's
 * simulator against itself, and the budget belongs to the project's own {@code @Soak} tests; on a real backend H1
 * and H2 and the built-in workload test the host instead ({@link #onHost}). A preset list, {@code ALL} (the
 * detection matrix) or {@code NONE} is taken as asked.
 *
 * @param spec   the preset list to run, or empty for none
 * @param reason one line for the budget statement: why they run, or why not
 */
record ScenarioChoice(String spec, String reason) {

    /** The value that leaves the choice to the soak: {@code staleguard.kernel} unset. */
    static final String AUTO = "AUTO";

    /** Decides for {@code kernels} as given ({@code AUTO}, {@code NONE}, {@code ALL}, a list) and {@code backend}. */
    static ScenarioChoice of(String kernels, String backend) {
        String k = kernels == null ? "" : kernels.trim();
        if (k.isEmpty() || k.equalsIgnoreCase(AUTO)) {
            return new ScenarioChoice("", backend.isEmpty()
                    ? "on the simulated stack they test Staleguard's own simulator, not this project; ask for them "
                    + "with -Dstaleguard.kernel=MODERN, a preset list or ALL (the detection matrix)"
                    : "this soak tests the host through the " + backend + " backend (H1 and H2 run there); add the "
                    + "simulated stack's presets with -Dstaleguard.kernel=MODERN, a preset list or ALL");
        }
        if (k.equalsIgnoreCase("NONE")) {
            return new ScenarioChoice("", "staleguard.kernel=NONE");
        }
        return new ScenarioChoice(k, "asked for with staleguard.kernel=" + k
                + (k.toUpperCase(Locale.ROOT).equals("ALL") ? " (the detection matrix)" : ""));
    }

    /**
     * Whether H1 and H2 run on the real backend ({@link HostScenarioPart}): whenever there is one, since there they
     * test the host, unless {@code staleguard.kernel=NONE} leaves every built-in scenario out.
     */
    static boolean onHost(String kernels, String backend) {
        return !backend.isEmpty() && !(kernels != null && kernels.trim().equalsIgnoreCase("NONE"));
    }

    /** The presets a replay runs its seed on: those given, {@code MODERN} when none is. */
    static ScenarioChoice forReplay(String kernels) {
        String k = kernels == null ? "" : kernels.trim();
        if (k.isEmpty() || k.equalsIgnoreCase(AUTO)) {
            k = "MODERN";
        }
        return new ScenarioChoice(k.equalsIgnoreCase("NONE") ? "" : k, "replay");
    }

    /** Whether any scenario runs. */
    boolean runs() {
        return !spec.isEmpty();
    }
}
