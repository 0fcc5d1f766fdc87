package io.staleguard.device.loop.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Formats a loop device this backend attached. */
public final class Mkfs {

    private Mkfs() {
    }

    /**
     * Runs mkfs for {@code type} ("ext4", "xfs", "btrfs"). {@code force} (overwrite an existing
     * signature) is only ever passed for a foreign target the caller explicitly allowed.
     */
    public static void format(String type, String device, boolean force) throws IOException {
        List<String> args = new ArrayList<>();
        switch (type) {
            case "ext4" -> {
                args.add("-q");
                // Initialize inode tables and journal now, so no ext4lazyinit writes race the workload.
                args.add("-E");
                args.add("lazy_itable_init=0,lazy_journal_init=0");
                if (force) {
                    args.add("-F");
                }
            }
            case "xfs", "btrfs" -> {
                args.add("-q");
                if (force) {
                    args.add("-f");
                }
            }
            default -> throw new IllegalArgumentException("unknown filesystem type '" + type + "'");
        }
        args.add(device);
        HostCommand.check("mkfs." + type, args.toArray(String[]::new));
    }
}
