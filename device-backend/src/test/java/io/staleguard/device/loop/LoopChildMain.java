package io.staleguard.device.loop;

import io.staleguard.device.loop.internal.LoopAttachment;
import io.staleguard.device.loop.internal.LoopSpec;
import java.nio.file.Path;

/**
 * A child JVM for the lifecycle tests: sets up a loop device, prints "READY device image mount",
 * then ends as the mode says, never calling close: "exit" (System.exit), "throw" (uncaught
 * exception from main), "hang" (waits to be killed, with SIGTERM or SIGKILL).
 */
public final class LoopChildMain {

    private LoopChildMain() {
    }

    public static void main(String[] args) throws Exception {
        Path workDir = Path.of(args[0]);
        String mode = args[1];
        Filesystem fs = Filesystem.parse(args[2]);
        long size = fs == Filesystem.NONE ? 16L << 20 : 32L << 20;
        LoopAttachment a = LoopAttachment.open(new LoopSpec(workDir, size, 4096, true, fs, null, null, false, null));
        System.out.println("READY " + a.device() + " " + a.image() + " " + a.mountPoint().map(Path::toString).orElse("-"));
        System.out.flush();
        switch (mode) {
            case "exit" -> System.exit(0);
            case "throw" -> throw new IllegalStateException("child fails without closing its loop device");
            case "hang" -> Thread.sleep(Long.MAX_VALUE);
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        }
    }
}
