package io.staleguard.device.file;

import io.staleguard.device.integrity.PiStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

/**
 * A file device's protection information kept in a sidecar file next to the data: saved on
 * {@code flush()} and on close (unless the data is deleted on close), loaded on open when it is
 * at least as new as the data.
 */
final class PiSidecar {

    private final Path file;
    private final boolean saveOnClose;

    PiSidecar(Path file, boolean saveOnClose) {
        this.file = file;
        this.saveOnClose = saveOnClose;
    }

    boolean saveOnClose() {
        return saveOnClose;
    }

    /** Saves {@code store} (atomically); nothing without protection information. */
    void save(PiStore store) throws IOException {
        if (store != null) {
            store.saveTo(file);
        }
    }

    /** Whether the sidecar exists and is at least as new as {@code data}; warns when it is older. */
    boolean isCurrentFor(Path data) throws IOException {
        if (!Files.exists(file)) {
            return false;
        }
        FileTime s = Files.getLastModifiedTime(file);
        FileTime d = Files.getLastModifiedTime(data);
        if (s.compareTo(d) < 0) {
            System.err.println("staleguard: PI sidecar " + file + " is older than " + data
                    + " (writes after its last save); not loading it, those blocks are unprotected");
            return false;
        }
        return true;
    }

    /** Loads the saved tuples into {@code store}; returns how many blocks. */
    long load(PiStore store) throws IOException {
        if (store == null) {
            return 0;
        }
        PiStore saved = PiStore.loadFrom(file);
        if (saved.tupleSize() != store.tupleSize() || saved.capacity() != store.capacity()) {
            throw new IOException("PI sidecar " + file + " holds " + saved.capacity() + " tuples of "
                    + saved.tupleSize() + " B; this device needs " + store.capacity() + " of " + store.tupleSize() + " B");
        }
        byte[] t = new byte[store.tupleSize()];
        long n = 0;
        for (long lba = 0; lba < saved.capacity(); lba++) {
            if (saved.isWritten(lba)) {
                saved.get(lba, t, 0, 1);
                store.put(lba, t, 0, 1);
                n++;
            }
        }
        return n;
    }
}
