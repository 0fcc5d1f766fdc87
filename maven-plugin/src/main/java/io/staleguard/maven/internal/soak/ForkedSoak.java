package io.staleguard.maven.internal.soak;

import io.staleguard.maven.internal.fork.ForkProtocol;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Starts the soak JVM, relays its output line by line, and makes sure it does not outlive Maven:
 * if Maven is stopped (Ctrl-C, SIGTERM), the fork gets SIGTERM and time to write its partial summary; if Maven is
 * killed outright ({@code kill -9}), the fork notices by itself (it is told Maven's pid, and its stdin is a pipe from
 * here) and stops the same way.
 */
public final class ForkedSoak {

    /** How long Maven's shutdown waits for the fork to write its partial summary. */
    static final long SHUTDOWN_GRACE_SECONDS = 20;

    /**
     * What the fork said and how it ended.
     *
     * @param exitCode    the exit code
     * @param configError the one-line configuration error it reported, or empty
     */
    public record Result(int exitCode, String configError) {
    }

    /** A line of fork output, classified. */
    public interface Sink {
        /** A plain line. */
        void info(String line);

        /** A line the fork marked as a warning, prefix removed. */
        void warn(String line);

        /** A line the fork marked as an error, prefix removed. */
        void error(String line);

        /** A sink that hands each kind of line to its own consumer. */
        static Sink of(Consumer<String> info, Consumer<String> warn, Consumer<String> error) {
            return new Sink() {
                @Override
                public void info(String line) {
                    info.accept(line);
                }

                @Override
                public void warn(String line) {
                    warn.accept(line);
                }

                @Override
                public void error(String line) {
                    error.accept(line);
                }
            };
        }
    }

    private ForkedSoak() {
    }

    /**
     * Runs {@code java [jvmArgs] @argfile SoakMain configFile} in {@code workingDirectory}.
     */
    public static Result run(String java, List<String> jvmArgs, List<String> classpath, Path configFile,
                             Path workingDirectory, Sink sink) throws IOException, InterruptedException {
        return run(java, jvmArgs, classpath, configFile, workingDirectory, sink, p -> { });
    }

    /** As {@link #run(String, List, List, Path, Path, Sink)}, handing the started process to {@code started}. */
    public static Result run(String java, List<String> jvmArgs, List<String> classpath, Path configFile,
                             Path workingDirectory, Sink sink, Consumer<Process> started)
            throws IOException, InterruptedException {
        Path argFile = configFile.resolveSibling("soak-java.args");
        String cp = String.join(File.pathSeparator, classpath);
        Files.writeString(argFile, "-cp\n\"" + cp.replace("\\", "\\\\").replace("\"", "\\\"") + "\"\n",
                StandardCharsets.UTF_8);
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(jvmArgs);
        // The fork watches this JVM: if Maven is killed outright, no shutdown hook here can stop the fork.
        cmd.add("-D" + ForkProtocol.PARENT_PID + "=" + ProcessHandle.current().pid());
        cmd.add("@" + argFile);
        cmd.add("io.staleguard.maven.internal.fork.SoakMain");
        cmd.add(configFile.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workingDirectory.toFile()).redirectErrorStream(true);
        Process process = pb.start();
        started.accept(process);
        Thread guard = new Thread(() -> {
            if (process.isAlive()) {
                // SIGTERM through the handle: Process.destroy() would also close the output we still relay.
                process.toHandle().destroy();
                try {
                    process.waitFor(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                process.destroyForcibly();
            }
        }, "staleguard-fork-guard");
        Runtime.getRuntime().addShutdownHook(guard);
        String configError = "";
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith(ForkProtocol.CONFIG_ERROR)) {
                    configError = line.substring(ForkProtocol.CONFIG_ERROR.length());
                } else if (line.startsWith(ForkProtocol.WARN)) {
                    sink.warn(line.substring(ForkProtocol.WARN.length()));
                } else if (line.startsWith(ForkProtocol.ERROR)) {
                    sink.error(line.substring(ForkProtocol.ERROR.length()));
                } else {
                    sink.info(line);
                }
            }
        } catch (IOException e) {
            if (process.isAlive()) {
                throw e;
            }
            // The fork ended while its output was being read; its exit code tells what happened.
        }
        int code = process.waitFor();
        try {
            Runtime.getRuntime().removeShutdownHook(guard);
        } catch (IllegalStateException e) {
            // Maven is shutting down already; the guard runs and finds the fork gone.
        }
        return new Result(code, configError);
    }

    /** Consumer adapter for tests. */
    public static Sink collecting(Consumer<String> all) {
        return Sink.of(all, line -> all.accept("WARN " + line), line -> all.accept("ERROR " + line));
    }
}
