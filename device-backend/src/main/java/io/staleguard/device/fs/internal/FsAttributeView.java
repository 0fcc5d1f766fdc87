package io.staleguard.device.fs.internal;

import java.io.IOException;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The {@code basic} and {@code posix} attribute views of one path: reads look the path up each time, as the JDK's
 * views do, and writes change the inode and are journalled.
 */
final class FsAttributeView implements PosixFileAttributeView {

    private static final List<String> BASIC = List.of("size", "creationTime", "lastAccessTime", "lastModifiedTime",
            "fileKey", "isDirectory", "isRegularFile", "isSymbolicLink", "isOther");
    private static final List<String> POSIX = List.of("permissions", "owner", "group");

    private final FsPath path;
    private final String name;

    FsAttributeView(FsPath path, String name) {
        this.path = path;
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public PosixFileAttributes readAttributes() throws IOException {
        Volume v = path.volume();
        return FsAttributes.of(v, v.lookup(path));
    }

    @Override
    public void setTimes(FileTime lastModifiedTime, FileTime lastAccessTime, FileTime createTime) throws IOException {
        Volume v = path.volume();
        Inode f = v.lookup(path);
        f.times(nanos(lastModifiedTime), nanos(lastAccessTime), nanos(createTime));
        v.attributesSet(path, f);
    }

    private static Long nanos(FileTime t) {
        return t == null ? null : t.to(TimeUnit.NANOSECONDS);
    }

    @Override
    public void setPermissions(Set<PosixFilePermission> perms) throws IOException {
        Volume v = path.volume();
        Inode f = v.lookup(path);
        f.permissions(perms);
        v.attributesSet(path, f);
    }

    @Override
    public void setOwner(UserPrincipal owner) throws IOException {
        path.volume().lookup(path);
        if (!owner.getName().equals(FsAttributes.USER.getName())) {
            throw new java.nio.file.FileSystemException(path.toString(), null, "Operation not permitted");
        }
    }

    @Override
    public void setGroup(GroupPrincipal group) throws IOException {
        setOwner(group);
    }

    @Override
    public UserPrincipal getOwner() throws IOException {
        return readAttributes().owner();
    }

    /** {@code Files.readAttributes(path, "view:a,b")}: the named attributes, or all of the view for "*". */
    static Map<String, Object> read(FsPath path, String attributes) throws IOException {
        String view = "basic";
        String names = attributes;
        int colon = attributes.indexOf(':');
        if (colon >= 0) {
            view = attributes.substring(0, colon);
            names = attributes.substring(colon + 1);
        }
        if (!view.equals("basic") && !view.equals("posix")) {
            throw new UnsupportedOperationException("View '" + view + "' not available");
        }
        PosixFileAttributes a = new FsAttributeView(path, view).readAttributes();
        Map<String, Object> out = new LinkedHashMap<>();
        for (String n : names.split(",")) {
            if (n.equals("*")) {
                for (String all : BASIC) {
                    out.put(all, value(a, all));
                }
                if (view.equals("posix")) {
                    for (String all : POSIX) {
                        out.put(all, value(a, all));
                    }
                }
            } else if (BASIC.contains(n) || (view.equals("posix") && POSIX.contains(n))) {
                out.put(n, value(a, n));
            } else {
                throw new IllegalArgumentException("'" + n + "' not recognized");
            }
        }
        return out;
    }

    private static Object value(PosixFileAttributes a, String n) {
        return switch (n) {
            case "size" -> a.size();
            case "creationTime" -> a.creationTime();
            case "lastAccessTime" -> a.lastAccessTime();
            case "lastModifiedTime" -> a.lastModifiedTime();
            case "fileKey" -> a.fileKey();
            case "isDirectory" -> a.isDirectory();
            case "isRegularFile" -> a.isRegularFile();
            case "isSymbolicLink" -> a.isSymbolicLink();
            case "isOther" -> a.isOther();
            case "permissions" -> a.permissions();
            case "owner" -> a.owner();
            case "group" -> a.group();
            default -> throw new IllegalArgumentException("'" + n + "' not recognized");
        };
    }

    /** {@code Files.setAttribute}: times and permissions. */
    @SuppressWarnings("unchecked")
    static void write(FsPath path, String attribute, Object value) throws IOException {
        String view = "basic";
        String n = attribute;
        int colon = attribute.indexOf(':');
        if (colon >= 0) {
            view = attribute.substring(0, colon);
            n = attribute.substring(colon + 1);
        }
        if (!view.equals("basic") && !view.equals("posix")) {
            throw new UnsupportedOperationException("View '" + view + "' not available");
        }
        FsAttributeView v = new FsAttributeView(path, view);
        switch (n) {
            case "lastModifiedTime" -> v.setTimes((FileTime) value, null, null);
            case "lastAccessTime" -> v.setTimes(null, (FileTime) value, null);
            case "creationTime" -> v.setTimes(null, null, (FileTime) value);
            case "permissions" -> {
                if (!view.equals("posix")) {
                    throw new IllegalArgumentException("'" + attribute + "' not recognized");
                }
                v.setPermissions((Set<PosixFilePermission>) value);
            }
            default -> throw new IllegalArgumentException("'" + attribute + "' not recognized");
        }
    }
}
