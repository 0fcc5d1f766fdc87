package io.staleguard.device.fs.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The no-mode {@code checkAccess} of a path no route holds, which {@code Files.exists} and {@code Files.notExists}
 * call on JDK 17 for any provider but the platform's own. The platform's answer costs an exception with a filled
 * stack trace for every missing file (about 1.6 µs, docs/PERFORMANCE.md), so this asks the platform's
 * exception-free probe first and throws the platform's own exception only when the file may be missing for another
 * reason than absence.
 *
 * <p>A missing file whose parent is a directory this process may search gets the JDK's
 * {@code NoSuchFileException} (its file the caller's path string, the message that string), without a stack trace:
 * {@code Files.exists} drops it anyway. Every other failure (a parent that is missing, not a directory or not
 * searchable, a name that may be too long) is the platform's own exception. One case stays approximate: a last name
 * that is a symbolic link that cannot be followed for another reason than a missing target (a loop) reads as
 * missing, where the platform says "Too many levels of symbolic links"; JDK 17 offers no exception-free
 * {@code lstat} to tell.
 */
public final class PlatformExistence {

    /** Names up to this many chars are at most 255 bytes in UTF-8; longer ones may get "File name too long". */
    private static final int SURELY_SHORT_NAME = 255 / 3;

    /** Paths up to this many chars are under Linux's PATH_MAX of 4096 bytes in UTF-8. */
    private static final int SURELY_SHORT_PATH = 4095 / 3;

    /** Follow links, as checkAccess does; shared, so that no call makes an empty varargs array. */
    private static final LinkOption[] FOLLOW = {};

    private PlatformExistence() {
    }

    /**
     * Returns if {@code platformPath} exists; else throws what the platform's {@code checkAccess(platformPath)}
     * would, naming {@code given}.
     *
     * @param platformPath a path of the platform's default filesystem
     * @param given        the path the caller gave, whose text the exception names
     */
    public static void check(Path platformPath, Path given) throws IOException {
        if (Files.exists(platformPath, FOLLOW)) {
            return;
        }
        if (absentFromSearchableDirectory(platformPath)) {
            throw new Missing(given.toString());
        }
        platformPath.getFileSystem().provider().checkAccess(platformPath);
    }

    /**
     * Whether the parent of {@code p}, a path the platform says is not there, is a directory this process may
     * search, so that its last name is what is absent: {@code parent/.} exists only then.
     */
    private static boolean absentFromSearchableDirectory(Path p) {
        String text = p.toString();
        if (text.length() > SURELY_SHORT_PATH || text.length() - text.lastIndexOf('/') - 1 > SURELY_SHORT_NAME) {
            return false;
        }
        Path parent = p.getParent();
        return Files.exists(parent == null ? p.getFileSystem().getPath(".") : parent.resolve("."));
    }

    /** The JDK's exception for a missing file, without the stack trace that nobody reads on this path. */
    private static final class Missing extends NoSuchFileException {

        private static final long serialVersionUID = 1L;

        Missing(String file) {
            super(file);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
