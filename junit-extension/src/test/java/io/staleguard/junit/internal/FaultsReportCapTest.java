package io.staleguard.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.sim.Fault;
import io.staleguard.device.sim.FaultKind;
import io.staleguard.device.sim.FiredFault;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A device's {@code faults} member lists at most {@link TestReportDocument#MAX_FAULTS} fired faults, counts all. */
class FaultsReportCapTest {

    @Test
    void theListIsCappedAndTheCountStaysExact() throws Exception {
        List<FiredFault> fired = new ArrayList<>();
        for (int i = 0; i < TestReportDocument.MAX_FAULTS + 7; i++) {
            fired.add(new FiredFault(new Fault(1, FaultKind.BIT_FLIP, "[0,+4096)", -1, "spec bitrot=0.5"), i, i,
                    "main", 0, 4096, "bitrot"));
        }
        SourceFindings device = new SourceFindings("device 'd'", "simulated", "SIMULATED", "MODERN", 1, 10, 100,
                Map.of(), List.of(), new SourceFaults("bitrot=0.5", fired.size(), fired));
        SourceFindings rewriters = new SourceFindings("rewriters x", "2 x", "", "", 1, 10, -1, Map.of(), List.of());
        TestOutcome o = new TestOutcome("id", "T", "m", "m", "PASSED", 1, 1, 5, "mvn test", EnumSet.allOf(
                ViolationKind.class), List.of(device, rewriters), CrashStates.NONE);
        JsonNode doc = new ObjectMapper().readTree(TestReportDocument.render(o));
        JsonNode f = doc.get("devices").get(0).get("faults");
        assertThat(f.get("fired").asLong()).isEqualTo(TestReportDocument.MAX_FAULTS + 7);
        assertThat(f.get("first")).hasSize(TestReportDocument.MAX_FAULTS);
        assertThat(f.get("first").get(3).get("sequence").asLong()).isEqualTo(3);
        assertThat(doc.get("devices").get(1).has("faults")).as("no faults member off SIMULATED").isFalse();
    }
}
