package io.staleguard.device.fs.internal;

import java.nio.file.FileStore;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileStoreAttributeView;
import java.nio.file.attribute.PosixFileAttributeView;

/** The one store of a simulated filesystem: its space figures are the allocator's. */
final class FsFileStore extends FileStore {

    private final Volume volume;

    FsFileStore(Volume volume) {
        this.volume = volume;
    }

    @Override
    public String name() {
        return "staleguard-fs-" + volume.id();
    }

    @Override
    public String type() {
        return "staleguard";
    }

    @Override
    public boolean isReadOnly() {
        return false;
    }

    @Override
    public long getTotalSpace() {
        return volume.allocator().totalBlocks() * volume.device().logicalBlockSize();
    }

    @Override
    public long getUsableSpace() {
        return getUnallocatedSpace();
    }

    @Override
    public long getUnallocatedSpace() {
        return volume.allocator().freeBlocks() * volume.device().logicalBlockSize();
    }

    @Override
    public long getBlockSize() {
        return volume.device().logicalBlockSize();
    }

    @Override
    public boolean supportsFileAttributeView(Class<? extends FileAttributeView> type) {
        return type == BasicFileAttributeView.class || type == PosixFileAttributeView.class;
    }

    @Override
    public boolean supportsFileAttributeView(String name) {
        return name.equals("basic") || name.equals("posix");
    }

    @Override
    public <V extends FileStoreAttributeView> V getFileStoreAttributeView(Class<V> type) {
        return null;
    }

    @Override
    public Object getAttribute(String attribute) {
        return switch (attribute) {
            case "totalSpace" -> getTotalSpace();
            case "usableSpace" -> getUsableSpace();
            case "unallocatedSpace" -> getUnallocatedSpace();
            default -> throw new UnsupportedOperationException("'" + attribute + "' not recognized");
        };
    }

    @Override
    public String toString() {
        return name() + " (" + volume.device().describe() + ")";
    }
}
