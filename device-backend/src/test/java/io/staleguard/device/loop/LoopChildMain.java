package io.staleguard.device.loop;

import io.staleguard.device.IoMode;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A child JVM for the lifecycle tests: opens a LoopDevice (a descriptor on /dev/loopN, or a file on the mount), prints "READY device image mount",
 * then ends as the mode says, never calling close: "exit" (System.exit), "throw" (uncaught
 * exception from main), "hang" (waits to be killed, with SIGTERM or SIGKILL).
 */
public final class LoopChildMain {

    private LoopChildMain() {
    }

    public static void main(String[] args) throws Exception {
        Path workDir = Path.of(args[0]);
        String mode = args[1];
        FilesystemType fs = FilesystemType.parse(args[2]);
        long size = fs == FilesystemType.NONE ? 16L << 20 : 32L << 20;
        // The device stays open, with a descriptor on it (and a file open on the mount): as a test would leave it.
        LoopDevice d = LoopDevice.builder().workDir(workDir).size(size).sectorSize(4096).filesystem(fs)
                .capacity(1 << 20).seed(1).build();
        ByteBuffer b = ByteBuffer.allocateDirect(8192).alignedSlice(4096).limit(4096);
        d.write(b, 0, IoMode.DIRECT);
        System.out.println("READY " + d.loopDevice() + " " + d.image() + " "
                + (fs == FilesystemType.NONE ? "-" : d.mountPoint().toString()));
        System.out.flush();
        switch (mode) {
            case "exit" -> System.exit(0);
            case "throw" -> throw new IllegalStateException("child fails without closing its loop device");
            case "hang" -> Thread.sleep(Long.MAX_VALUE);
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        }
    }
}
