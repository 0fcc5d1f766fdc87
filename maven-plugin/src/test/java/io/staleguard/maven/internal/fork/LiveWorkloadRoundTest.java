package io.staleguard.maven.internal.fork;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.maven.internal.model.SoakSummary;
import io.staleguard.maven.internal.model.ThroughputSample;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real-backend workload round lasts up to a minute: progress samples and checkpoints count it while it runs (they
 * showed 0 operations, and a crash summary lost the round), and once it ends it is counted exactly once.
 */
class LiveWorkloadRoundTest {

    @TempDir
    Path dir;

    @Test
    void theRoundInProgressIsInSamplesAndCheckpointsAndCountedOnceWhenItEnds() throws Exception {
        SoakConfig c = new SoakConfig(dir.toString(), dir.resolve("work").toString(), "", "t", 4000, 500, "NONE",
                "file", 1, 1, 0x5eed, "", 100, 16 << 20, 10_000, 0);
        SoakStats stats = new SoakStats(c, List.of(), "2026-01-01T00:00:00Z", System.nanoTime());
        SoakContext ctx = new SoakContext(c, new SeedSpace(0x5eed, 1, 1), stats, new AtomicBoolean(),
                new PrintStream(OutputStream.nullOutputStream()));
        WorkloadPart part = new WorkloadPart("file", RealDevices.create());
        assertThat(part.prepare(ctx)).isTrue();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread run = new Thread(() -> {
            try {
                part.run(ctx, System.nanoTime() + TimeUnit.SECONDS.toNanos(4));
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        run.start();
        ThroughputSample mid = null;
        for (int i = 0; i < 100 && (mid == null || mid.operations() == 0); i++) {
            Thread.sleep(50);
            mid = stats.sample();
        }
        SoakSummary checkpoint = stats.summary("RUNNING", "checkpoint");
        assertThat(run.isAlive()).as("the round (up to %d s) is still running", WorkloadPart.ROUND_NANOS / 1_000_000_000L)
                .isTrue();
        assertThat(mid.operations()).as("a progress sample during the round").isPositive();
        assertThat(mid.bytes()).isPositive();
        assertThat(checkpoint.operations()).isPositive();
        assertThat(checkpoint.workloads()).singleElement().satisfies(w -> {
            assertThat(w.operations()).isPositive().isEqualTo(checkpoint.operations());
            assertThat(w.runs()).isOne();
        });

        run.join();
        assertThat(failure.get()).isNull();
        SoakSummary end = stats.summary("COMPLETE", "");
        assertThat(end.workloads()).singleElement().satisfies(w -> {
            assertThat(w.runs()).as("one device in 4 s").isOne();
            assertThat(w.operations()).isEqualTo(end.operations()).isGreaterThanOrEqualTo(checkpoint.operations());
            assertThat(w.bytes()).isEqualTo(end.bytes());
        });
        assertThat(stats.sample().operations()).as("counted once").isEqualTo(end.operations());
    }
}
