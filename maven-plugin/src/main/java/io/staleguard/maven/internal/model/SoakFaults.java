package io.staleguard.maven.internal.model;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The storage faults a soak's {@code @Soak} tests ran with: the summary's {@code faults} member (docs/REPORT-FORMAT.md,
 * 1.3).
 *
 * @param spec  the canonical fault spec of {@code staleguard.faults}, which replaced every simulated device's
 *              {@code @Device(faults)}; {@code none} when the soak turned faults off; empty when it was unset (the
 *              tests ran with their own); a merge of soaks with different specs joins them with {@code "; "}
 * @param fired exact number of injected faults that fired on the tests' simulated devices, over every run
 */
public record SoakFaults(String spec, long fired) {

    /** A soak that set no spec and saw no fault fire (and what a summary before 1.3 reads as). */
    public static final SoakFaults NONE = new SoakFaults("", 0);

    public SoakFaults {
        spec = spec == null ? "" : spec;
    }

    /** Whether there is something to show: a spec was set, or a fault fired. */
    public boolean any() {
        return !spec.isEmpty() || fired > 0;
    }

    /** This soak's and {@code other}'s (another shard or machine) as one: the distinct specs, the faults added. */
    public SoakFaults plus(SoakFaults other) {
        Set<String> specs = new LinkedHashSet<>();
        for (String s : (spec + "; " + other.spec).split("; ")) {
            if (!s.isEmpty()) {
                specs.add(s);
            }
        }
        return new SoakFaults(String.join("; ", specs), fired + other.fired);
    }
}
