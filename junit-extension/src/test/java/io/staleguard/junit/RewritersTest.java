package io.staleguard.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.BlockDevice;
import io.staleguard.device.IoMode;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.junit.kit.Kit;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Rewriters run during the test body, find what their stamps reveal, fail the test on errors, and stop. */
class RewritersTest {

    @TempDir
    Path reports;

    /** Writes and reads back the test's own data region while the rewriters run. */
    static void workload(BlockDevice d, RewriterThreads rw) throws Exception {
        ByteBuffer b = ByteBuffer.allocateDirect(8192).alignedSlice(4096);
        long end = rw.reservedOffset();
        long deadline = System.nanoTime() + 150_000_000L;
        long pos = 0;
        while (System.nanoTime() < deadline || rw.operations() < 20) {
            b.clear();
            b.put(0, (byte) pos);
            long p = pos;
            while (b.hasRemaining()) {
                p += d.write(b, p, IoMode.DIRECT);
            }
            b.clear();
            p = pos;
            while (b.hasRemaining()) {
                p += d.read(b, p, IoMode.BUFFERED);
            }
            pos = (pos + 4096) % (end - 4096);
        }
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class EachPatternOnModern {
        @Test
        void stamped(@Device(size = "4MiB") BlockDevice d, @Rewriters(threads = 2) RewriterThreads rw)
                throws Exception {
            workload(d, rw);
        }

        @Test
        void touch(@Device(size = "4MiB") BlockDevice d,
                   @Rewriters(threads = 2, pattern = Rewriters.Pattern.TOUCH_WRITEBACK) RewriterThreads rw)
                throws Exception {
            workload(d, rw);
        }

        @Test
        void trailer(@Device(size = "4MiB") BlockDevice d,
                     @Rewriters(threads = 2, pattern = Rewriters.Pattern.READAHEAD_TRAILER) RewriterThreads rw)
                throws Exception {
            workload(d, rw);
        }
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class TouchOnTheKernelStack {
        @Test
        void stablePagesOn(@Device(size = "4MiB", kernel = "STABLE_PAGES_BOUNCE_2011") BlockDevice d,
                           @Rewriters(threads = 2, pattern = Rewriters.Pattern.TOUCH_WRITEBACK) RewriterThreads rw)
                throws Exception {
            workload(d, rw);
        }
    }

    @Test
    void touchWritebackRunsCleanOnAFixedKernelStackWithMappedStores() {
        EngineExecutionResults r = Kit.run(TouchOnTheKernelStack.class, reports);
        Kit.assertCounts(r, 1, 0, 0);
    }

    @Test
    void everyPatternRunsCleanOnACorrectProgramAndStopsWithItsTest() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        EngineExecutionResults r = Kit.run(EachPatternOnModern.class, reports);
        Kit.assertCounts(r, 3, 0, 0);
        for (String m : new String[] {"stamped", "touch", "trailer"}) {
            String json = java.nio.file.Files.readString(reports.resolve(EachPatternOnModern.class.getName())
                    .resolve(m + ".json"));
            assertThat(json).contains("\"label\": \"rewriters param:").contains("\"counts\": {}");
            assertThat(json).containsPattern("\"label\": \"rewriters[^}]*\"operations\": [1-9]");
        }
        ParallelAndThreadsTest.assertNoStaleguardThreadsLeft(before);
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class Failing {
        @Test
        void bodyThrows(@Device(size = "1MiB") BlockDevice d, @Rewriters(threads = 0) RewriterThreads rw) {
            rw.run((dev, worker, stop) -> {
                throw new IllegalStateException("rewriter boom");
            });
        }

        @Test
        void ignoresStopButNotInterrupts(@Device(size = "1MiB") BlockDevice d,
                                         @Rewriters(threads = 0) RewriterThreads rw) {
            rw.run((dev, worker, stop) -> {
                while (true) {
                    Thread.sleep(5);
                }
            });
        }
    }

    @Test
    void anExceptionInARewriterFailsTheTestAndNoThreadOutlivesIt() {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        EngineExecutionResults r = Kit.run(Failing.class, reports);
        Kit.assertCounts(r, 1, 1, 0);
        assertThat(Kit.failure(r, "bodyThrows")).isInstanceOf(AssertionError.class)
                .hasMessageContaining("rewriter boom").hasMessageContaining("staleguard-rewriter-Failing#bodyThrows");
        ParallelAndThreadsTest.assertNoStaleguardThreadsLeft(before);
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class TamperedRegion {
        @Test
        void stampsCatchCorruption(@Device(size = "1MiB", name = "d") SimulatedDevice d,
                                   @Rewriters(threads = 1, region = "8KiB", device = "d") RewriterThreads rw)
                throws Exception {
            long deadline = System.nanoTime() + 5_000_000_000L;
            byte[] junk = new byte[4096];
            java.util.Arrays.fill(junk, (byte) 0x5a);
            while (rw.violations().total() == 0 && System.nanoTime() < deadline) {
                d.tamper().corruptData(rw.reservedOffset(), junk);
                Thread.sleep(1);
            }
            StaleguardAssertions.assertThat(rw).hasViolationsOfKind(ViolationKind.CORRUPT_READ);
        }
    }

    @Test
    void theStampedRewritersCatchCorruptedMediaInTheirRegion() {
        EngineExecutionResults r = Kit.run(TamperedRegion.class, reports);
        Kit.assertCounts(r, 0, 1, 0);
        Throwable t = Kit.failure(r, "stampsCatchCorruption");
        assertThat(t).isInstanceOf(IoConsistencyError.class);
        IoConsistencyError e = (IoConsistencyError) t;
        assertThat(e.counts()).containsKey(ViolationKind.CORRUPT_READ);
        assertThat(e.getMessage()).contains("rewriters param:");
        assertThat(e.violations()).anySatisfy(v -> {
            assertThat(v.detail()).contains("stamped rewriter 0");
            assertThat(v.offset()).isEqualTo(1024 * 1024 - 8192);
        });
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class SwallowsInterrupts {
        /** Lets the stuck rewriter end once the test has seen what it does to its test and class. */
        static volatile boolean release;

        @Test
        void stuck(@Device(size = "1MiB") BlockDevice d, @Rewriters(threads = 0) RewriterThreads rw) {
            rw.run((dev, worker, stop) -> {
                while (!release) {
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        // Swallowed: the bug this sample is.
                    }
                }
            });
        }

        @Test
        void clean(@Device(size = "1MiB") BlockDevice d) {
        }
    }

    @Test
    void aRewriterThatSwallowsInterruptsFailsItsTestOnceAtTheRealTimeAndItsClassWhileItStillRuns() {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        SwallowsInterrupts.release = false;
        try {
            long t0 = System.nanoTime();
            EngineExecutionResults r = Kit.run(SwallowsInterrupts.class, reports);
            long tookMillis = (System.nanoTime() - t0) / 1_000_000;

            var tests = r.testEvents();
            assertThat(tests.succeeded().count()).as(Kit.failures(r)).isOne();
            Throwable t = Kit.failure(r, "stuck");
            assertThat(t).isInstanceOf(AssertionError.class).hasMessageContaining("rewriter threads did not stop: "
                    + "they ignored the stop flag for 2000 ms and an interrupt for 2000 ms, holding the test for ")
                    .hasMessageContaining("[staleguard-rewriter-SwallowsInterrupts#stuck-0]");
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("holding the test for (\\d+) ms")
                    .matcher(t.getMessage());
            assertThat(m.find()).isTrue();
            long held = Long.parseLong(m.group(1));
            assertThat(held).as("the real time: both waits, and no more than the run took").isBetween(3900L, tookMillis);
            assertThat(tookMillis).as("held once (three stops held it about 12 s)").isLessThan(9000);
            java.io.StringWriter all = new java.io.StringWriter();
            t.printStackTrace(new java.io.PrintWriter(all));
            assertThat(all.toString().split("did not stop", -1)).as("reported once, suppressed included").hasSize(2);

            assertThat(r.containerEvents().failed().list()).singleElement().satisfies(e -> {
                Throwable c = e.getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                        .getThrowable().orElseThrow();
                assertThat(e.getTestDescriptor().getDisplayName()).isEqualTo("RewritersTest$SwallowsInterrupts");
                assertThat(c).hasMessageStartingWith("rewriter threads still run at the end of the class, ignoring the "
                        + "stop flag and interrupts: staleguard-rewriter-SwallowsInterrupts#stuck-0 (of "
                        + "SwallowsInterrupts#stuck, ");
            });
        } finally {
            SwallowsInterrupts.release = true;
        }
        ParallelAndThreadsTest.assertNoStaleguardThreadsLeft(before);
    }
}
