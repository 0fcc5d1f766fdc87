package io.staleguard.device.loop.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs one host tool (losetup, mkfs, mount, blkid) and captures what it printed.
 *
 * <p>Tools are resolved on {@code PATH} plus the sbin directories, because a root shell started
 * by Maven does not always carry {@code /usr/sbin} on its {@code PATH}.
 */
public final class HostCommand {

    private static final String[] EXTRA_DIRS = {"/usr/sbin", "/sbin", "/usr/bin", "/bin"};
    private static final long TIMEOUT_SECONDS = 120;

    private HostCommand() {
    }

    /** The outcome of one command. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {
        /** Whether the tool exited with 0. */
        public boolean ok() {
            return exitCode == 0;
        }

        /** The command line and what it printed, for error messages. */
        public String describe() {
            String err = stderr.strip();
            String out = stdout.strip();
            return String.join(" ", command) + " exited with " + exitCode
                    + (err.isEmpty() ? "" : ": " + err) + (out.isEmpty() || !err.isEmpty() ? "" : ": " + out);
        }
    }

    /** Finds an executable by name, or empty when it is not installed. */
    public static Optional<Path> find(String tool) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(":")));
        }
        dirs.addAll(List.of(EXTRA_DIRS));
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, tool);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Runs a tool; a missing tool or a timeout is an {@link IOException}, a non-zero exit is not. */
    public static Result run(String tool, String... args) throws IOException {
        Path exe = find(tool).orElseThrow(() -> new IOException(tool + " is not installed (searched PATH and "
                + String.join(", ", EXTRA_DIRS) + ")"));
        List<String> cmd = new ArrayList<>();
        cmd.add(exe.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread errPump = pump(p.getErrorStream(), err);
        Thread outPump = pump(p.getInputStream(), out);
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            outPump.join();
            errPump.join();
        } catch (InterruptedException e) {
            // The tool may still be changing device state; let it finish rather than leave it half done.
            try {
                p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                // fall through
            }
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", cmd), e);
        }
        return new Result(List.copyOf(cmd), p.exitValue(), out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8));
    }

    /** Runs a tool and fails with its message unless it exits with 0. */
    public static Result check(String tool, String... args) throws IOException {
        Result r = run(tool, args);
        if (!r.ok()) {
            throw new IOException(r.describe());
        }
        return r;
    }

    private static Thread pump(InputStream in, ByteArrayOutputStream sink) {
        Thread t = new Thread(() -> {
            try (in) {
                in.transferTo(sink);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "staleguard-cmd-pump");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
