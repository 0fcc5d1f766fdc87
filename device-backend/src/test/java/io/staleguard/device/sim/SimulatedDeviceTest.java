package io.staleguard.device.sim;

import io.staleguard.device.CompletionOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.IoMode;
import io.staleguard.device.hooks.Gate;
import io.staleguard.device.hooks.OpMatcher;
import io.staleguard.device.hooks.Stage;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What is specific to the simulated device: builder, lazy media, seeded decisions, DMA order, hooks. */
class SimulatedDeviceTest {

    @Test
    void builderRejectsBadOptionsNamingTheValue() {
        assertThatThrownBy(() -> SimulatedDevice.builder().blockSize(1000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1000");
        assertThatThrownBy(() -> SimulatedDevice.builder().capacity(-5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-5");
        assertThatThrownBy(() -> SimulatedDevice.builder().capacity(4097).blockSize(4096).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4097");
        assertThatThrownBy(() -> SimulatedDevice.builder().shortTransferProbability(1.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.5");
        assertThatThrownBy(() -> SimulatedDevice.builder().workers(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
        assertThatThrownBy(() -> SimulatedDevice.builder().dmaDelay(Duration.ofMillis(2), Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0.002S");
    }

    @Test
    void creatingALargeDeviceAllocatesNoMedia() throws Exception {
        try (SimulatedDevice d = SimulatedDevice.builder().capacity(1L << 30).seed(1).build()) {
            assertThat(d.allocatedMediaBytes()).isZero();
            d.write(ByteBuffer.wrap(new byte[10]), 500L << 20, IoMode.BUFFERED);
            assertThat(d.allocatedMediaBytes()).isEqualTo(256 << 10);
        }
    }

    @Test
    void describeAndReproduceCarryTheSeed() throws Exception {
        try (SimulatedDevice d = SimulatedDevice.builder().seed(0xABCDEFL).build()) {
            assertThat(d.describe()).contains("seed 0xabcdef");
            assertThat(d.reproduce()).contains(".seed(0xabcdefL)");
            assertThat(d.seed()).isEqualTo(0xABCDEFL);
        }
    }

    @Test
    void sameSeedSameShortTransfers() throws Exception {
        assertThat(shortCounts(77)).isEqualTo(shortCounts(77));
        assertThat(shortCounts(77)).isNotEqualTo(shortCounts(78));
    }

    private static List<Integer> shortCounts(long seed) throws Exception {
        List<Integer> counts = new ArrayList<>();
        try (SimulatedDevice d = SimulatedDevice.builder().capacity(1 << 20).blockSize(512).seed(seed)
                .shortTransferProbability(0.5).dmaDelay(Duration.ZERO, Duration.ZERO).build()) {
            for (int i = 0; i < 50; i++) {
                counts.add(d.write(ByteBuffer.allocate(4096), i * 4096L, IoMode.BUFFERED));
            }
        }
        return counts;
    }

    @Test
    void fifoCompletesInSubmissionOrder() throws Exception {
        try (SimulatedDevice d = SimulatedDevice.builder().capacity(1 << 20).seed(3).workers(4)
                .completionOrder(CompletionOrder.FIFO).dmaDelay(Duration.ZERO, Duration.ofMillis(2)).build()) {
            List<Integer> order = new CopyOnWriteArrayList<>();
            List<CompletableFuture<Integer>> fs = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int id = i;
                fs.add(d.writeAsync(ByteBuffer.allocate(512), i * 4096L, IoMode.BUFFERED)
                        .whenComplete((n, e) -> order.add(id)));
            }
            CompletableFuture.allOf(fs.toArray(new CompletableFuture[0])).get(10, TimeUnit.SECONDS);
            assertThat(order).isSorted().hasSize(20);
        }
    }

    @Test
    void reorderedCompletionsCanOvertake() throws Exception {
        boolean overtook = false;
        for (long seed = 1; seed < 20 && !overtook; seed++) {
            try (SimulatedDevice d = SimulatedDevice.builder().capacity(1 << 20).seed(seed).workers(4)
                    .completionOrder(CompletionOrder.REORDERED).dmaDelay(Duration.ZERO, Duration.ofMillis(3)).build()) {
                List<Integer> order = new CopyOnWriteArrayList<>();
                List<CompletableFuture<Integer>> fs = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    int id = i;
                    fs.add(d.writeAsync(ByteBuffer.allocate(512), i * 4096L, IoMode.BUFFERED)
                            .whenComplete((n, e) -> order.add(id)));
                }
                CompletableFuture.allOf(fs.toArray(new CompletableFuture[0])).get(10, TimeUnit.SECONDS);
                overtook = !order.equals(order.stream().sorted().toList());
            }
        }
        assertThat(overtook).isTrue();
    }

    @Test
    void hooksHoldSyncCallsOnTheirThreadUntilReleased() throws Exception {
        try (SimulatedDevice d = SimulatedDevice.builder().capacity(1 << 20).seed(4).build()) {
            Gate g = d.hooks().pause(OpMatcher.reads().overlapping(8192, 1).sync().atStage(Stage.COMPLETE));
            CompletableFuture<Integer> f = CompletableFuture.supplyAsync(() -> {
                try {
                    return d.read(ByteBuffer.allocate(100), 8150, IoMode.BUFFERED);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            var op = g.awaitPaused(Duration.ofSeconds(10));
            assertThat(op.offset()).isEqualTo(8150);
            assertThat(f).isNotDone();
            g.release();
            assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(100);
        }
    }

    @Test
    void awaitPausedTimesOutNamingTheMatcher() throws Exception {
        try (SimulatedDevice d = SimulatedDevice.builder().capacity(1 << 20).seed(5).build()) {
            Gate g = d.hooks().pause(OpMatcher.writes().overlapping(0, 512));
            assertThatThrownBy(() -> g.awaitPaused(Duration.ofMillis(20)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("writes overlapping [0,+512)");
            g.release();
            assertThat(d.write(ByteBuffer.allocate(10), 0, IoMode.BUFFERED)).isEqualTo(10);
        }
    }

    /** A flush is stamped on the oracle's clock, so a timeline shows it between the operations around it. */
    @Test
    void flushSitsBetweenItsNeighboursInTheTimeline() throws Exception {
        try (SimulatedDevice dev = SimulatedDevice.builder().capacity(1 << 16).seed(1).build()) {
            dev.write(ByteBuffer.allocate(4096), 0, IoMode.BUFFERED);
            dev.flush();
            dev.read(ByteBuffer.allocate(4096), 0, IoMode.BUFFERED);
            List<io.staleguard.device.TimelineEvent> events = dev.operationLog().snapshot();
            List<io.staleguard.device.TimelineEvent.Type> types = events.stream()
                    .map(io.staleguard.device.TimelineEvent::type).toList();
            int flush = types.indexOf(io.staleguard.device.TimelineEvent.Type.FLUSH);
            assertThat(flush).isPositive().isLessThan(events.size() - 1);
            assertThat(events.get(flush).time()).isBetween(events.get(flush - 1).time(), events.get(flush + 1).time());
        }
    }
}
