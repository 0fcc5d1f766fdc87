package io.staleguard.device.file;

import static org.apiguardian.api.API.Status.STABLE;

import io.staleguard.device.core.DeviceSettings;
import io.staleguard.device.file.internal.RealMedia;
import io.staleguard.device.core.internal.OptionChecks;
import io.staleguard.device.oracle.InitialContent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apiguardian.api.API;

/**
 * A {@link io.staleguard.device.BlockDevice} over a regular file on the host filesystem: real
 * page cache, real read-ahead, real O_DIRECT, with the integrity layer and the history oracle on
 * top exactly as on the simulated device. Needs no root.
 *
 * <pre>{@code
 * try (FileDevice dev = FileDevice.builder().path(dir.resolve("data.img")).capacity(64 << 20).build()) {
 *     dev.write(buf, 0, IoMode.DIRECT);
 *     dev.advise(0, 0, Advice.DONTNEED);
 *     assertThat(dev.violations().total()).isZero();
 * }
 * }</pre>
 *
 * <p>A new file starts sparse (reads as zeros). An existing file keeps its content: the oracle
 * then adopts what each block holds when it is first read. With {@link Builder#piSidecar} the
 * protection information survives the device (saved on {@link #flush()} and close, loaded on open
 * when the sidecar is at least as new as the data), so a later run can {@link #scrub()} it.
 */
@API(status = STABLE, since = "0.1")
public final class FileDevice extends RealBlockDevice {

    private final long loadedTuples;

    private FileDevice(DeviceSettings settings, InitialContent initial, RealMedia media, PiSidecar sidecar,
                       Path file) throws IOException {
        super(settings, initial, media, sidecar);
        this.loadedTuples = sidecar != null && sidecar.isCurrentFor(file) ? sidecar.load(piStore()) : 0;
    }

    /** A builder; see each option for its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** Blocks whose protection information was loaded from the sidecar when the device opened. */
    public long loadedTuples() {
        return loadedTuples;
    }

    /** Builds {@link FileDevice}s. */
    public static final class Builder extends RealDeviceBuilder<Builder> {
        private Path path;
        private Long capacity;
        private int blockSize = 4096;
        private Path sidecar;
        private Boolean deleteOnClose;

        private Builder() {
        }

        /** The file; created if absent (default: a new temporary file, deleted on close). */
        public Builder path(Path file) {
            this.path = java.util.Objects.requireNonNull(file, "path");
            return this;
        }

        /**
         * Capacity in bytes, a multiple of the block size (default: an existing file's size rounded
         * down to whole blocks, 64 MiB for a new one). A shorter file is extended, sparsely.
         */
        public Builder capacity(long bytes) {
            this.capacity = OptionChecks.positive("capacity", bytes);
            return this;
        }

        /** Logical block size, protection interval and O_DIRECT alignment: 512 or 4096 (default 4096). */
        public Builder blockSize(int bytes) {
            this.blockSize = OptionChecks.blockSize(bytes);
            return this;
        }

        /** Keep the protection information in this sidecar file too (default none: memory only). */
        public Builder piSidecar(Path file) {
            this.sidecar = file;
            return this;
        }

        /** Delete the file (and sidecar) on close (default: only for the temporary file made by default). */
        public Builder deleteOnClose(boolean on) {
            this.deleteOnClose = on;
            return this;
        }

        /** Opens the device; a bad path or size fails naming it. */
        public FileDevice build() throws IOException {
            Path file = path;
            boolean temp = file == null;
            if (temp) {
                file = Files.createTempFile("staleguard-file-", ".img");
            }
            file = file.toAbsolutePath().normalize();
            if (Files.exists(file) && !Files.isRegularFile(file)) {
                throw new IOException(file + " is not a regular file (use LoopDevice for block devices)");
            }
            boolean existed = Files.exists(file) && Files.size(file) > 0;
            long existingSize = Files.exists(file) ? Files.size(file) : 0;
            long cap = capacity != null ? capacity : existed ? existingSize / blockSize * blockSize : 64L << 20;
            if (cap <= 0 || cap % blockSize != 0) {
                throw new IllegalArgumentException("capacity " + cap + " of " + file
                        + " is not a positive multiple of the block size " + blockSize);
            }
            DeviceSettings settings = settings("FileDevice", cap, blockSize);
            RealTarget target = RealTarget.open(file, blockSize, true, false);
            try {
                if (target.size() < cap) {
                    target.truncate(cap);
                }
                InitialContent initial = existed ? InitialContent.unknown() : InitialContent.zeros();
                boolean delete = deleteOnClose != null ? deleteOnClose : temp;
                Path data = file;
                Path side = sidecar;
                String description = "FileDevice(" + data + ")";
                RealMedia media = new RealMedia(target.posix(), blockSize, verifyAfterWriteOption(), () -> description,
                        () -> {
                            if (delete) {
                                Files.deleteIfExists(data);
                                if (side != null) {
                                    Files.deleteIfExists(side);
                                }
                            }
                        });
                return new FileDevice(settings, initial, media, side == null ? null : new PiSidecar(side, !delete),
                        data);
            } catch (IOException | RuntimeException e) {
                target.close();
                if (temp) {
                    Files.deleteIfExists(file);
                }
                throw e;
            }
        }
    }
}
