package io.staleguard.device.sim.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.sim.kernel.internal.DeltaDebugger;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DeltaDebuggerTest {

    @Test
    void findsTheFewItemsThatMatterInOrder() {
        List<Integer> input = IntStream.range(0, 1000).boxed().toList();
        DeltaDebugger.Result<Integer> r = DeltaDebugger.minimize(input,
                l -> l.indexOf(17) >= 0 && l.indexOf(512) > l.indexOf(17) && l.contains(999), 10_000);
        assertThat(r.items()).containsExactly(17, 512, 999);
        assertThat(r.oneMinimal()).isTrue();
        assertThat(r.tests()).isLessThan(500);
    }

    @Test
    void stopsAtTheBudget() {
        List<Integer> input = IntStream.range(0, 1000).boxed().toList();
        DeltaDebugger.Result<Integer> r = DeltaDebugger.minimize(input, l -> l.size() > 900, 5);
        assertThat(r.oneMinimal()).isFalse();
        assertThat(r.tests()).isEqualTo(5);
        assertThat(r.items()).hasSizeGreaterThan(900);
    }
}
