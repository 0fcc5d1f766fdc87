package io.staleguard.maven.internal.fork;

/**
 * What the {@code soak} goal tells its forked JVM, as a JSON file.
 *
 * @param reportDirectory      {@code target/staleguard}: where the summary, violation files and XML go
 * @param workDirectory        scratch space of this soak (per-test reports of repeated tests, device images)
 * @param testClassesDirectory the project's test classes, scanned for {@code @Soak} tests
 * @param projectName          for logs and the XML
 * @param budgetMillis         the time budget shared by all parts
 * @param progressMillis       the progress line interval
 * @param kernels              the preset list as given ({@code MODERN}, {@code A,B}, {@code ALL}, {@code NONE}), or
 *                             {@code AUTO} (unset: see {@link ScenarioChoice})
 * @param backend              {@code file}, {@code loop}, or empty for no real-backend workload
 * @param shardIndex           1-based shard
 * @param shardCount           shard count
 * @param masterSeed           the seed every run seed derives from
 * @param replay               {@code H2:0x…} to replay one scenario seed, else empty
 * @param maxViolationFiles    how many violations are kept in full (counts stay exact)
 * @param deviceBytes          size of the real-backend workload's device
 * @param opsPerRun            operation budget of one scenario run (each run stops at its first violation)
 * @param threads              threads running scenario seeds side by side (0: one per available processor)
 * @param crashStates          the crash-state budget of each {@code @Soak} crash test per round
 *                             ({@code staleguard.crashStates} in the fork); 0 leaves the tests' own budgets
 * @param faults               the canonical fault spec the {@code @Soak} tests run with on every simulated device
 *                             ({@code staleguard.faults} in the fork), or empty to leave their own
 */
public record SoakConfig(String reportDirectory, String workDirectory, String testClassesDirectory,
                         String projectName, long budgetMillis, long progressMillis, String kernels, String backend,
                         int shardIndex, int shardCount, long masterSeed, String replay, int maxViolationFiles,
                         long deviceBytes, long opsPerRun, int threads, int crashStates, String faults) {

    /** The crash-state budget of a {@code @Soak} crash test per round unless {@code staleguard.crashStates} says. */
    public static final int DEFAULT_CRASH_STATES = 1000;

    /** A configuration with the default crash-state budget. */
    public SoakConfig(String reportDirectory, String workDirectory, String testClassesDirectory, String projectName,
                      long budgetMillis, long progressMillis, String kernels, String backend, int shardIndex,
                      int shardCount, long masterSeed, String replay, int maxViolationFiles, long deviceBytes,
                      long opsPerRun, int threads) {
        this(reportDirectory, workDirectory, testClassesDirectory, projectName, budgetMillis, progressMillis, kernels,
                backend, shardIndex, shardCount, masterSeed, replay, maxViolationFiles, deviceBytes, opsPerRun,
                threads, DEFAULT_CRASH_STATES, "");
    }

    /** A configuration that leaves the tests' faults as they declare them. */
    public SoakConfig(String reportDirectory, String workDirectory, String testClassesDirectory, String projectName,
                      long budgetMillis, long progressMillis, String kernels, String backend, int shardIndex,
                      int shardCount, long masterSeed, String replay, int maxViolationFiles, long deviceBytes,
                      long opsPerRun, int threads, int crashStates) {
        this(reportDirectory, workDirectory, testClassesDirectory, projectName, budgetMillis, progressMillis, kernels,
                backend, shardIndex, shardCount, masterSeed, replay, maxViolationFiles, deviceBytes, opsPerRun,
                threads, crashStates, "");
    }

    public SoakConfig {
        kernels = kernels == null ? ScenarioChoice.AUTO : kernels;
        backend = backend == null ? "" : backend;
        replay = replay == null ? "" : replay;
        testClassesDirectory = testClassesDirectory == null ? "" : testClassesDirectory;
        projectName = projectName == null ? "" : projectName;
        faults = faults == null ? "" : faults;
    }

    /** The scenario threads to use. */
    public int scenarioThreads() {
        return threads > 0 ? threads : Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /** {@code i/n}. */
    public String shard() {
        return shardIndex + "/" + shardCount;
    }
}
