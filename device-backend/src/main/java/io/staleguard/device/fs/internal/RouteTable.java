package io.staleguard.device.fs.internal;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * The routes of a routing provider: host directory prefixes, each to a directory of another filesystem. Readers
 * take one volatile read of an immutable array, so a lookup with no route installed costs that read alone; writers
 * copy the array under the table's lock.
 */
public final class RouteTable {

    /** One route: a host directory, absolute and normalized, to a directory of another filesystem. */
    public static final class Entry {

        private final Path host;
        private final Path target;
        /** The host directory's text, for the prefix check of a path that is absolute and normal already. */
        private final String hostText;

        /**
         * @param host   the host directory, absolute and normalized, a path of the platform's filesystem
         * @param target the directory it leads to, on another filesystem
         */
        public Entry(Path host, Path target) {
            this.host = host;
            this.target = target;
            this.hostText = host.toString();
        }

        /** The host directory, absolute and normalized, a path of the platform's filesystem. */
        public Path host() {
            return host;
        }

        /** The directory it leads to, on another filesystem. */
        public Path target() {
            return target;
        }

        /** The path under {@link #target()} for {@code absolute}, a normalized host path under {@link #host()}. */
        Path map(Path absolute) {
            int skip = host.getNameCount();
            int count = absolute.getNameCount();
            if (count == skip) {
                return target;
            }
            return target.resolve(absolute.subpath(skip, count).toString());
        }

        /** The host path for a path of the target's filesystem, when it lies under {@link #target()}; else null. */
        Path mapBack(Path targetPath) {
            if (!targetPath.startsWith(target)) {
                return null;
            }
            Path rest = target.relativize(targetPath);
            return rest.toString().isEmpty() ? host : host.resolve(rest.toString());
        }

        /** Whether {@code normal}, the text of an absolute path with no "." or ".." name, is or lies under host. */
        boolean holdsText(String normal) {
            int n = hostText.length();
            return normal.startsWith(hostText) && (normal.length() == n || normal.charAt(n) == '/');
        }

        @Override
        public String toString() {
            return host + " -> " + target;
        }
    }

    private static final Entry[] NONE = new Entry[0];

    private volatile Entry[] entries = NONE;

    /** Whether no route is installed: one volatile read. */
    public boolean isEmpty() {
        return entries.length == 0;
    }

    /** Adds a route; a host directory that is, contains or lies in a routed one is refused, naming both. */
    public synchronized void add(Entry entry) {
        for (Entry e : entries) {
            if (e.host().startsWith(entry.host()) || entry.host().startsWith(e.host())) {
                throw new IllegalArgumentException("host directory " + entry.host() + " overlaps the routed "
                        + e.host() + " (to " + e.target() + "); close that route first");
            }
        }
        Entry[] grown = Arrays.copyOf(entries, entries.length + 1);
        grown[entries.length] = entry;
        entries = grown;
    }

    /** Whether a route's host directory lies under {@code directory}. */
    public boolean holdsBelow(Path directory) {
        for (Entry e : entries) {
            if (e.host().startsWith(directory)) {
                return true;
            }
        }
        return false;
    }

    /** Removes a route; true if it was installed. */
    public synchronized boolean remove(Entry entry) {
        Entry[] now = entries;
        for (int i = 0; i < now.length; i++) {
            if (now[i] == entry) {
                Entry[] shrunk = new Entry[now.length - 1];
                System.arraycopy(now, 0, shrunk, 0, i);
                System.arraycopy(now, i + 1, shrunk, i, now.length - i - 1);
                entries = shrunk;
                return true;
            }
        }
        return false;
    }

    /**
     * A path found under a route.
     *
     * @param entry  the route
     * @param target the path on the route's target filesystem
     */
    public record Hit(Entry entry, Path target) {
    }

    /**
     * The route and target path of {@code platformPath} (made absolute and normalized, so however the path was
     * built), or null when no route holds it.
     */
    public Hit find(Path platformPath) {
        Entry[] now = entries;
        if (now.length == 0) {
            return null;
        }
        // The platform keeps a path's text normalized ('/' runs and a trailing '/' removed) and caches it, so an
        // absolute path with no "." or ".." name is checked on that text, without making its absolute, normal
        // form; the rare other path takes the general way.
        String text = platformPath.toString();
        if (!text.isEmpty() && text.charAt(0) == '/' && text.indexOf("/.") < 0) {
            for (Entry e : now) {
                if (e.holdsText(text)) {
                    return new Hit(e, e.map(platformPath));
                }
            }
            return null;
        }
        Path absolute = platformPath.toAbsolutePath().normalize();
        for (Entry e : now) {
            if (absolute.startsWith(e.host())) {
                return new Hit(e, e.map(absolute));
            }
        }
        return null;
    }

    /** The host path of a path of {@code entry}'s target filesystem, or null when it is outside the target. */
    public static Path hostOf(Entry entry, Path targetPath) {
        return entry.mapBack(targetPath);
    }
}
