package io.staleguard.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * The CPU time an iteration's operations took, printed as a {@code # cpu} line after each JMH iteration. On a
 * machine shared with other work the wall-clock score falls with the load, CPU time per operation much less, so
 * the benchmarks report both. {@link #thread()} counts the benchmark thread only (for operations done on it);
 * {@link #process()} counts the whole JVM (for work spread over helper threads, such as Lucene's merges and the
 * simulated flusher; it includes the JIT and GC).
 */
final class CpuPerOperation {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final boolean wholeProcess;
    private long start;
    private long operations;

    private CpuPerOperation(boolean wholeProcess) {
        this.wholeProcess = wholeProcess;
    }

    /** The benchmark thread's CPU time. */
    static CpuPerOperation thread() {
        return new CpuPerOperation(false);
    }

    /** The JVM's CPU time, every thread. */
    static CpuPerOperation process() {
        return new CpuPerOperation(true);
    }

    /** At the start of an iteration. */
    void start() {
        operations = 0;
        start = now();
    }

    /** Once per operation. */
    void count() {
        operations++;
    }

    /** At the end of an iteration: prints {@code # cpu <what>: <ns> ns/op}. */
    void print(String what) {
        long cpu = now() - start;
        if (operations > 0) {
            System.out.printf(Locale.ROOT, "%n# cpu %s: %.0f ns/op (%s)%n", what, (double) cpu / operations,
                    wholeProcess ? "process" : "thread");
        }
    }

    private long now() {
        if (wholeProcess) {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
        }
        return THREADS.getCurrentThreadCpuTime();
    }
}
