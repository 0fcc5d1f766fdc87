package io.staleguard.device.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The overlay's block map agrees with a HashMap over seeded keys, growth included. */
class LongBlockMapTest {

    @Test
    void agreesWithAHashMap() {
        long seed = 0xB10C;
        SplittableRandom r = new SplittableRandom(seed);
        LongBlockMap map = new LongBlockMap();
        Map<Long, byte[]> ref = new HashMap<>();
        for (int i = 0; i < 5000; i++) {
            long k = r.nextLong(0, 20_000);
            byte[] v = {(byte) i};
            map.put(k, v);
            ref.put(k, v);
        }
        assertThat(map.size()).as("seed 0x%x", seed).isEqualTo(ref.size());
        for (long k = 0; k < 20_000; k++) {
            assertThat(map.get(k)).as("key %d, seed 0x%x", k, seed).isSameAs(ref.get(k));
        }
        assertThat(map.keys()).isSorted().hasSize(ref.size());
        assertThatThrownBy(() -> map.put(-1, new byte[1])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("block -1");
    }
}
