package io.staleguard.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.junit.kit.BufferReusingLog;
import io.staleguard.junit.kit.Kit;
import io.staleguard.junit.kit.RecordReader;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Parallel execution gives every test its own device with no shared state, a buggy test fails alone, and no
 * thread the extension started outlives its test class.
 */
class ParallelAndThreadsTest {

    static final Map<String, Object> DEVICES = new ConcurrentHashMap<>();

    @TempDir
    Path reports;

    @StaleguardTest
    @Tag("staleguard-kit")
    static class ManyTests {
        @ParameterizedTest
        @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
        void correct(int n, @Device(backend = Backend.FILE) Path dir) throws Exception {
            DEVICES.put("correct" + n, dir);
            try (FileChannel ch = FileChannel.open(dir.resolve("f"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.READ)) {
                for (int i = 0; i < 16; i++) {
                    ch.write(ByteBuffer.wrap(new byte[4096]).put(0, (byte) n), i * 4096L);
                }
                ByteBuffer b = ByteBuffer.allocate(4096);
                ch.read(b, 4096 * 15L);
                if (b.get(0) != n) {
                    throw new AssertionError("another test's data in my file: " + b.get(0));
                }
            }
        }

        @ParameterizedTest
        @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
        void correctSimulated(int n, @Device(size = "1MiB") FileChannel ch,
                              @Device(size = "1MiB") io.staleguard.device.BlockDevice other) throws Exception {
            DEVICES.put("sim" + n, ch);
            DEVICES.put("simOther" + n, other);
            RecordReader.writeRecords(ch, 16);
            if (RecordReader.countRecordsCorrect(ch, 16) != 16) {
                throw new AssertionError("records lost");
            }
            // Tag record 0 with this test's number; a device shared with another test would show its tag.
            for (int round = 0; round < 20; round++) {
                ByteBuffer tag = ByteBuffer.wrap(new byte[] {(byte) n});
                while (tag.hasRemaining()) {
                    ch.write(tag, 0);
                }
                Thread.sleep(1);
                ByteBuffer back = ByteBuffer.allocate(1);
                while (back.hasRemaining()) {
                    ch.read(back, 0);
                }
                if (back.get(0) != n) {
                    throw new AssertionError("test " + n + " sees another test's tag " + back.get(0));
                }
            }
        }

        @Test
        void buggy(@Device(backend = Backend.FILE) Path dir) throws Exception {
            DEVICES.put("buggy", dir);
            try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(dir.resolve("wal"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                BufferReusingLog log = new BufferReusingLog(ch, true);
                for (int i = 1; i <= 4; i++) {
                    log.append((byte) i);
                }
                log.sync();
            }
        }
    }

    @Test
    void parallelTestsGetTheirOwnDevicesAndOnlyTheBuggyOneFails() {
        DEVICES.clear();
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        EngineExecutionResults r = Kit.run(ManyTests.class, reports,
                "junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.default", "concurrent",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", "4");
        Kit.assertCounts(r, 16, 1, 0);
        assertThat(Kit.failure(r, "buggy")).isInstanceOf(IoConsistencyError.class);
        assertThat(DEVICES).hasSize(25);
        // Nine distinct directories, and sixteen distinct simulated devices (channels and devices differ).
        assertThat(DEVICES.values().stream().filter(p -> p instanceof Path).map(Object::toString)
                .collect(Collectors.toSet())).hasSize(9);
        assertThat(DEVICES.values().stream().filter(p -> !(p instanceof Path))
                .map(System::identityHashCode).collect(Collectors.toSet())).hasSize(16);
        assertNoStaleguardThreadsLeft(before);
    }

    /**
     * Waits for threads that are ending, then fails naming any the extension started and left. It sleeps between
     * looks, not spins: on a loaded 2-core machine a spinning test thread takes the core the ending threads need.
     * A thread that was left stays past any deadline, so the generous one costs only a failing run's time.
     */
    static void assertNoStaleguardThreadsLeft(Set<Thread> before) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        Set<String> left;
        do {
            left = Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t))
                    .filter(Thread::isAlive).map(Thread::getName).filter(n -> n.startsWith("staleguard"))
                    .collect(Collectors.toSet());
            if (left.isEmpty()) {
                return;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        } while (System.nanoTime() < deadline);
        assertThat(left).as("threads left running after the test class").isEmpty();
    }
}
