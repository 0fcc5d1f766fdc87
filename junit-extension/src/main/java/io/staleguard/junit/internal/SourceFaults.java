package io.staleguard.junit.internal;

import io.staleguard.device.sim.FiredFault;
import java.util.List;

/**
 * The storage faults of one simulated device during one test: the seeded spec in effect and the faults that fired.
 *
 * @param spec  the canonical fault-spec text ({@code none} when no rate was set), as the reproduce line carries it
 * @param fired exact number of faults that fired during the test
 * @param first the first of them, oldest first (at most {@link TestReportDocument#MAX_FAULTS})
 */
public record SourceFaults(String spec, long fired, List<FiredFault> first) {

    public SourceFaults {
        first = List.copyOf(first);
    }
}
