package io.staleguard.device.loop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts {@link LoopChildMain} in a separate JVM with this JVM's classpath. */
final class ChildJvm implements AutoCloseable {

    final Process process;
    final String device;
    final Path image;
    final String mountPoint;
    private final StringBuilder stderr = new StringBuilder();

    private ChildJvm(Process process, String readyLine) {
        this.process = process;
        String[] f = readyLine.split(" ");
        this.device = f[1];
        this.image = Path.of(f[2]);
        this.mountPoint = f[3];
    }

    static ChildJvm start(Path workDir, String mode, FilesystemType fs) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(LoopChildMain.class.getName());
        cmd.add(workDir.toString());
        cmd.add(mode);
        cmd.add(fs.name());
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        if (line == null || !line.startsWith("READY ")) {
            p.destroyForcibly();
            throw new IOException("child JVM did not get ready: " + line);
        }
        return new ChildJvm(p, line);
    }

    int waitForExit() throws InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("child JVM did not exit");
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
