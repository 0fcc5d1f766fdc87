package io.staleguard.device.loop.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The {@code losetup} calls this backend makes: attach a file it created, ask the kernel what a
 * device is backed by, and detach a device only after checking it is still backed by that file.
 */
public final class Losetup {

    private static final String COLUMNS = "NAME,BACK-INO,BACK-MAJ:MIN,DIO,LOG-SEC,BACK-FILE";
    private static final int ATTACH_ATTEMPTS = 8;
    private static final long DETACH_WAIT_NANOS = 30_000_000_000L; // a loaded machine can defer the final release for seconds

    /** Every detach this JVM issued, with the backing file it verified first (tests audit this). */
    private static final Queue<Entry> DETACHED = new ConcurrentLinkedQueue<>();

    private Losetup() {
    }

    /**
     * One row of {@code losetup --list}.
     *
     * @param device       "/dev/loopN"
     * @param backingInode BACK-INO
     * @param backingMajMin BACK-MAJ:MIN
     * @param directIo     DIO
     * @param sectorSize   LOG-SEC
     * @param backingFile  BACK-FILE (may end in " (deleted)")
     */
    public record Entry(String device, long backingInode, String backingMajMin, boolean directIo, int sectorSize,
                        String backingFile) {

        /** Whether the kernel says this device is backed by exactly {@code image}. */
        public boolean backedBy(FileIdentity image) {
            return backingInode == image.inode() && backingMajMin.equals(image.majorMinor())
                    && backingFile.equals(image.path().toString());
        }

        /** The row as losetup prints it, for messages. */
        public String render() {
            return device + " -> " + backingFile + " (ino " + backingInode + ", dev " + backingMajMin + ", dio "
                    + (directIo ? 1 : 0) + ", sector " + sectorSize + ")";
        }
    }

    /** Thrown when no loop device is free (after retries). */
    public static final class NoFreeLoopDeviceException extends IOException {
        private static final long serialVersionUID = 1L;

        NoFreeLoopDeviceException(String message) {
            super(message);
        }
    }

    /**
     * Attaches {@code image} to the first free loop device and returns its path. Verifies that the
     * kernel reports the device backed by this very inode and, if asked, using direct I/O; a
     * device that does not verify is detached again before the error is thrown.
     */
    public static String attach(FileIdentity image, int sectorSize, boolean directIo) throws IOException {
        HostCommand.Result r = null;
        for (int attempt = 1; attempt <= ATTACH_ATTEMPTS; attempt++) {
            r = HostCommand.run("losetup", "--find", "--show", "--sector-size", Integer.toString(sectorSize),
                    "--direct-io=" + (directIo ? "on" : "off"), image.path().toString());
            if (r.ok()) {
                break;
            }
            String err = r.stderr();
            boolean transientBusy = err.contains("could not find any free loop device")
                    || err.contains("Device or resource busy") || err.contains("No such file or directory");
            if (!transientBusy || attempt == ATTACH_ATTEMPTS) {
                break;
            }
            sleep(50L * attempt);
        }
        String device = r.stdout().strip();
        if (!r.ok() || !device.startsWith("/dev/loop")) {
            // losetup may have attached before failing to set an option: look by inode, undo ours.
            for (Entry e : associated(image)) {
                detachVerified(e.device(), image);
            }
            if (r.stderr().contains("could not find any free loop device") || r.stderr().contains("No such file")) {
                throw new NoFreeLoopDeviceException("no free loop device (" + r.describe() + ")");
            }
            throw new IOException("cannot attach " + image.path() + ": " + r.describe());
        }
        Optional<Entry> status = status(device);
        if (status.isEmpty() || !status.get().backedBy(image)) {
            for (Entry e : associated(image)) {
                detachVerified(e.device(), image);
            }
            throw new IOException("losetup reported " + device + " for " + image.path() + " but the kernel says "
                    + status.map(Entry::render).orElse("it is not attached") + "; not touching it");
        }
        Entry e = status.get();
        if (directIo && !e.directIo() || e.sectorSize() != sectorSize) {
            detachVerified(device, image);
            throw new IOException("losetup attached " + image.path() + " to " + device + " but "
                    + (directIo && !e.directIo() ? "could not enable --direct-io=on (the backing filesystem of "
                    + image.path().getParent() + " does not support O_DIRECT at sector size " + sectorSize + ")"
                    : "the sector size is " + e.sectorSize() + ", not " + sectorSize) + "; detached it again");
        }
        return device;
    }

    /** What the kernel says {@code device} is backed by; empty when it is not attached. */
    public static Optional<Entry> status(String device) throws IOException {
        HostCommand.Result r = HostCommand.run("losetup", "--list", "--noheadings", "--raw", "-O", COLUMNS, device);
        if (!r.ok()) {
            return Optional.empty();
        }
        List<Entry> rows = parse(r.stdout());
        return rows.stream().filter(e -> e.device().equals(device)).findFirst();
    }

    /** Every attached loop device, as the kernel reports it. */
    public static List<Entry> list() throws IOException {
        HostCommand.Result r = HostCommand.check("losetup", "--list", "--noheadings", "--raw", "-O", COLUMNS);
        return parse(r.stdout());
    }

    /** The loop devices backed by exactly this file (inode, device and path). */
    public static List<Entry> associated(FileIdentity image) throws IOException {
        return list().stream().filter(e -> e.backedBy(image)).toList();
    }

    /**
     * Detaches {@code device} if and only if the kernel says it is backed by {@code image}.
     *
     * @return false if it was no longer attached
     * @throws IOException if it is backed by anything else (then it is left alone) or losetup fails
     */
    public static boolean detachVerified(String device, FileIdentity image) throws IOException {
        Optional<Entry> status = status(device);
        if (status.isEmpty()) {
            return false;
        }
        if (!status.get().backedBy(image)) {
            throw new IOException("refusing to detach " + device + ": it is backed by " + status.get().render()
                    + ", not by " + image.path() + " (ino " + image.inode() + ") which this backend attached");
        }
        DETACHED.add(status.get());
        HostCommand.Result r = HostCommand.run("losetup", "--detach", device);
        if (!r.ok() && status(device).filter(e -> e.backedBy(image)).isPresent()) {
            throw new IOException("cannot detach " + device + ": " + r.describe());
        }
        // Recent kernels detach on the last close: a transient opener (a probe by another
        // process) defers it by a moment. Wait for it, so that close() means detached.
        long deadline = System.nanoTime() + DETACH_WAIT_NANOS;
        while (status(device).filter(e -> e.backedBy(image)).isPresent()) {
            if (System.nanoTime() > deadline) {
                System.err.println("staleguard: WARNING: detach of " + device + " (" + image.path() + ") is deferred by"
                        + " the kernel until the last opener closes it");
                break;
            }
            sleep(20);
        }
        return true;
    }

    /** The detaches this JVM issued so far (tests use it to prove nothing foreign was touched). */
    public static List<Entry> detachJournal() {
        return List.copyOf(DETACHED);
    }

    static List<Entry> parse(String out) {
        List<Entry> rows = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.strip().split(" ", 6);
            if (f.length < 6) {
                continue;
            }
            rows.add(new Entry(unescape(f[0]).strip(), parseLong(unescape(f[1]).strip()), unescape(f[2]).strip(),
                    "1".equals(unescape(f[3]).strip()), (int) parseLong(unescape(f[4]).strip()), unescape(f[5])));
        }
        return rows;
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Undoes the \xNN escapes of {@code --raw}. */
    static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.charAt(i + 1) == 'x') {
                b.append((char) Integer.parseInt(s.substring(i + 2, i + 4), 16));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
