package io.staleguard.device.realkernel;

import io.staleguard.device.file.FileDevice;
import io.staleguard.device.file.RealBlockDevice;
import io.staleguard.device.loop.FilesystemType;
import io.staleguard.device.loop.LoopDevice;
import io.staleguard.device.loop.LoopTestSupport;
import java.io.IOException;
import java.nio.file.Path;

/** The real-kernel configurations the kernel checks run on. */
enum RealConfig {
    FILE_HOST_FS("FileDevice on the host filesystem", null),
    LOOP_RAW("LoopDevice raw (sector 4096, loop dio on)", FilesystemType.NONE),
    LOOP_EXT4("LoopDevice + ext4", FilesystemType.EXT4),
    LOOP_XFS("LoopDevice + xfs", FilesystemType.XFS),
    LOOP_BTRFS("LoopDevice + btrfs", FilesystemType.BTRFS);

    final String label;
    final FilesystemType filesystem;

    RealConfig(String label, FilesystemType filesystem) {
        this.label = label;
        this.filesystem = filesystem;
    }

    /** Skips loudly outside CI (fails in CI) when this configuration cannot run here. */
    void require() {
        if (filesystem != null) {
            LoopTestSupport.requireLoop(filesystem);
        }
    }

    /** Opens a device of {@code capacity} bytes, block size 4096, in {@code workDir}. */
    RealBlockDevice open(Path workDir, long capacity, long seed) throws IOException {
        if (filesystem == null) {
            return FileDevice.builder().path(workDir.resolve("host-" + name() + ".img")).capacity(capacity)
                    .blockSize(4096).seed(seed).deleteOnClose(true).build();
        }
        long size = Math.max(filesystem.minimumSize(), 8L << 20);
        return LoopDevice.builder().workDir(workDir).size(size).sectorSize(4096).directIo(true)
                .filesystem(filesystem).capacity(capacity).seed(seed).build();
    }
}
