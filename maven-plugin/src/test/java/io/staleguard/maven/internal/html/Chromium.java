package io.staleguard.maven.internal.html;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Loads a page in headless Chromium and returns the DOM after rendering. Missing Chromium skips
 * loudly outside CI and fails in CI ({@code CI=true}), where .ci/run installs it.
 */
final class Chromium {

    private Chromium() {
    }

    static String dumpDom(Path page) throws IOException, InterruptedException {
        String exe = find();
        Path profile = Files.createTempDirectory("sg-chromium");
        List<String> cmd = List.of(exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--dump-dom", page.toUri().toString());
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish within 60 s");
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    private static String find() {
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
                Path exe = Path.of(dir, name);
                if (Files.isExecutable(exe)) {
                    return exe.toString();
                }
            }
        }
        String msg = "chromium is not installed: the HTML report cannot be checked in a browser "
                + "(apt-get install chromium)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(msg + " - required in CI");
        }
        System.err.println("WARNING: SKIPPED: " + msg);
        Assumptions.abort(msg);
        return null;
    }
}
