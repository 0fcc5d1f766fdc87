package io.staleguard.device.fs.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A path of the simulated filesystem, parsed, compared and combined as the JDK's default Unix filesystem does it:
 * '/' separates names, repeated and trailing slashes are dropped, a NUL is an {@link InvalidPathException}, and the
 * working directory is the root. Immutable.
 */
public final class FsPath implements Path {

    private final FileSystem fs;
    private final Volume volume;
    private final String path;
    private final String[] names;

    private FsPath(FileSystem fs, Volume volume, String normalized) {
        this.fs = fs;
        this.volume = volume;
        this.path = normalized;
        this.names = split(normalized);
    }

    /** Parses {@code first} and {@code more} joined by '/', as {@code FileSystem.getPath} does on Unix. */
    public static FsPath parse(FileSystem fs, Volume volume, String first, String... more) {
        String joined = first;
        if (more.length > 0) {
            StringBuilder sb = new StringBuilder(first);
            for (String segment : more) {
                if (!segment.isEmpty()) {
                    if (sb.length() > 0) {
                        sb.append('/');
                    }
                    sb.append(segment);
                }
            }
            joined = sb.toString();
        }
        return new FsPath(fs, volume, normalizeAndCheck(joined));
    }

    private static String normalizeAndCheck(String input) {
        StringBuilder sb = new StringBuilder(input.length());
        char prev = 0;
        for (int i = 0; i < input.length(); i++) {
            char c = input.charAt(i);
            if (c == '\u0000') {
                throw new InvalidPathException(input, "Nul character not allowed");
            }
            if (c == '/' && prev == '/') {
                continue;
            }
            sb.append(c);
            prev = c;
        }
        if (sb.length() > 1 && sb.charAt(sb.length() - 1) == '/') {
            sb.setLength(sb.length() - 1);
        }
        return sb.toString();
    }

    private static String[] split(String p) {
        if (p.isEmpty()) {
            return new String[] {""};
        }
        String body = p.startsWith("/") ? p.substring(1) : p;
        return body.isEmpty() ? new String[0] : body.split("/");
    }

    private FsPath make(String normalized) {
        return new FsPath(fs, volume, normalized);
    }

    /** The volume this path names a file of. */
    public Volume volume() {
        return volume;
    }

    /** The names from the root of the absolute form of this path ("." and ".." kept, resolved by lookup). */
    List<String> absoluteNames() {
        if (path.isEmpty()) {
            return List.of();
        }
        return Arrays.asList(names);
    }

    /** The absolute form, as text: the path the journal records. */
    public String absoluteString() {
        return isAbsolute() ? path : path.isEmpty() ? "/" : "/" + path;
    }

    /** {@code other} as a path of this provider. */
    public static FsPath of(Path other) {
        if (other == null) {
            throw new NullPointerException();
        }
        if (!(other instanceof FsPath p)) {
            throw new ProviderMismatchException();
        }
        return p;
    }

    @Override
    public FileSystem getFileSystem() {
        return fs;
    }

    @Override
    public boolean isAbsolute() {
        return path.startsWith("/");
    }

    @Override
    public Path getRoot() {
        return isAbsolute() ? make("/") : null;
    }

    @Override
    public Path getFileName() {
        if (names.length == 0) {
            return null;
        }
        if (names.length == 1 && !isAbsolute()) {
            return this;
        }
        return make(names[names.length - 1]);
    }

    @Override
    public Path getParent() {
        if (names.length == 0 || (names.length == 1 && !isAbsolute())) {
            return null;
        }
        int slash = path.lastIndexOf('/');
        return make(slash == 0 ? "/" : path.substring(0, slash));
    }

    @Override
    public int getNameCount() {
        return names.length;
    }

    @Override
    public Path getName(int index) {
        if (index < 0 || index >= names.length) {
            throw new IllegalArgumentException();
        }
        return make(names[index]);
    }

    @Override
    public Path subpath(int beginIndex, int endIndex) {
        if (beginIndex < 0 || beginIndex >= names.length || endIndex > names.length || beginIndex >= endIndex) {
            throw new IllegalArgumentException();
        }
        return make(String.join("/", Arrays.copyOfRange(names, beginIndex, endIndex)));
    }

    @Override
    public boolean startsWith(Path other) {
        if (!(other instanceof FsPath o)) {
            return false;
        }
        if (o.path.isEmpty()) {
            return path.isEmpty();
        }
        if (o.isAbsolute() != isAbsolute() || o.names.length > names.length) {
            return false;
        }
        for (int i = 0; i < o.names.length; i++) {
            if (!o.names[i].equals(names[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean endsWith(Path other) {
        if (!(other instanceof FsPath o)) {
            return false;
        }
        if (o.path.isEmpty()) {
            return path.isEmpty();
        }
        if (o.isAbsolute()) {
            return o.path.equals(path);
        }
        if (o.names.length > names.length) {
            return false;
        }
        int off = names.length - o.names.length;
        for (int i = 0; i < o.names.length; i++) {
            if (!o.names[i].equals(names[off + i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Path normalize() {
        List<String> out = new ArrayList<>();
        boolean absolute = isAbsolute();
        for (String n : names) {
            if (n.equals(".")) {
                continue;
            }
            if (n.equals("..")) {
                if (!out.isEmpty() && !out.get(out.size() - 1).equals("..")) {
                    out.remove(out.size() - 1);
                    continue;
                }
                if (absolute) {
                    continue;
                }
            }
            out.add(n);
        }
        String joined = String.join("/", out);
        String result = absolute ? "/" + joined : joined;
        return result.equals(path) ? this : make(result);
    }

    @Override
    public Path resolve(Path other) {
        FsPath o = of(other);
        if (o.isAbsolute()) {
            return o;
        }
        if (o.path.isEmpty()) {
            return this;
        }
        if (path.isEmpty()) {
            return o;
        }
        return make(path.equals("/") ? "/" + o.path : path + "/" + o.path);
    }

    @Override
    public Path relativize(Path other) {
        FsPath o = of(other);
        if (o.equals(this)) {
            return make("");
        }
        if (isAbsolute() != o.isAbsolute()) {
            throw new IllegalArgumentException("'other' is different type of Path");
        }
        if (path.isEmpty()) {
            return o;
        }
        int common = 0;
        while (common < names.length && common < o.names.length && names[common].equals(o.names[common])) {
            common++;
        }
        List<String> out = new ArrayList<>();
        for (int i = common; i < names.length; i++) {
            out.add("..");
        }
        out.addAll(Arrays.asList(o.names).subList(common, o.names.length));
        return make(String.join("/", out));
    }

    @Override
    public URI toUri() {
        String abs = ((FsPath) toAbsolutePath()).path;
        try {
            Inode f = volume.isOpen() ? volume.find(this) : null;
            if (f != null && f.isDirectory() && !abs.endsWith("/")) {
                abs = abs + "/";
            }
        } catch (IOException e) {
            // A path that cannot be looked up is still a URI, without the directory's trailing slash.
        }
        try {
            return new URI(SimulatedFileSystemProvider.SCHEME, "fs-" + volume.id(), abs, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("path " + abs + " gives no URI", e);
        }
    }

    @Override
    public Path toAbsolutePath() {
        return isAbsolute() ? this : make(absoluteString());
    }

    @Override
    public Path toRealPath(LinkOption... options) throws IOException {
        volume.lookup(this);
        return toAbsolutePath().normalize();
    }

    /** Always throws: the simulated filesystem has no {@link WatchService}. */
    @Override
    public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
        throw new UnsupportedOperationException(SimulatedFileSystemProvider.NO_WATCH);
    }

    @Override
    public int compareTo(Path other) {
        return path.compareTo(((FsPath) other).path);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FsPath p && p.fs == fs && p.path.equals(path);
    }

    @Override
    public int hashCode() {
        return path.hashCode();
    }

    @Override
    public String toString() {
        return path;
    }
}
