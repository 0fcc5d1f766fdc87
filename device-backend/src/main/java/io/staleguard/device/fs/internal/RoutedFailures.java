package io.staleguard.device.fs.internal;

import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;

/**
 * Renames the files in a routed operation's exception: the target filesystem names its own paths, and the caller
 * must see the paths it gave, as the JDK reports them. The exception keeps its type and reason.
 */
public final class RoutedFailures {

    private RoutedFailures() {
    }

    /** {@code e} with {@code target}'s text replaced by {@code given}'s. */
    public static FileSystemException translate(FileSystemException e, Path given, Path target) {
        return translate(e, given, target, null, null);
    }

    /** {@code e} with each target path's text replaced by the path the caller gave for it. */
    public static FileSystemException translate(FileSystemException e, Path given, Path target, Path otherGiven,
            Path otherTarget) {
        String file = rename(e.getFile(), given, target, otherGiven, otherTarget);
        String other = rename(e.getOtherFile(), given, target, otherGiven, otherTarget);
        if (same(file, e.getFile()) && same(other, e.getOtherFile())) {
            return e;
        }
        String reason = e.getReason();
        FileSystemException out;
        if (e instanceof NoSuchFileException) {
            out = new NoSuchFileException(file, other, reason);
        } else if (e instanceof FileAlreadyExistsException) {
            out = new FileAlreadyExistsException(file, other, reason);
        } else if (e instanceof DirectoryNotEmptyException) {
            out = new DirectoryNotEmptyException(file);
        } else if (e instanceof NotDirectoryException) {
            out = new NotDirectoryException(file);
        } else if (e instanceof AccessDeniedException) {
            out = new AccessDeniedException(file, other, reason);
        } else if (e instanceof NotLinkException) {
            out = new NotLinkException(file, other, reason);
        } else if (e instanceof AtomicMoveNotSupportedException) {
            out = new AtomicMoveNotSupportedException(file, other, reason);
        } else if (e instanceof FileSystemLoopException) {
            out = new FileSystemLoopException(file);
        } else if (e.getClass() == FileSystemException.class) {
            out = new FileSystemException(file, other, reason);
        } else {
            return e;
        }
        out.setStackTrace(e.getStackTrace());
        return out;
    }

    private static boolean same(String a, String b) {
        return a == null ? b == null : a.equals(b);
    }

    private static String rename(String file, Path given, Path target, Path otherGiven, Path otherTarget) {
        if (file == null) {
            return null;
        }
        if (target != null && file.equals(target.toString())) {
            return given.toString();
        }
        if (otherTarget != null && file.equals(otherTarget.toString())) {
            return otherGiven.toString();
        }
        return file;
    }
}
