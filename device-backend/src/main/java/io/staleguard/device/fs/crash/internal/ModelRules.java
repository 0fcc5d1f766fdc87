package io.staleguard.device.fs.crash.internal;

import io.staleguard.device.fs.crash.CrashModel;

/** One crash model's rule set: what is durable at a crash point, what is volatile, and how choices combine. */
public interface ModelRules {

    /** The model these rules implement. */
    CrashModel model();

    /** The volatile items at {@code point} of {@code log}, writes tearing at {@code unit} bytes. */
    VolatileSet at(CrashLog log, int point, int unit);

    /** The crash state of {@code choices} over {@code set} (validated by the set). */
    Resolution resolve(VolatileSet set, int[] choices);

    /** The rules of {@code model}. */
    static ModelRules of(CrashModel model) {
        return switch (model) {
            case POSIX -> new PosixRules();
            case EXT4_ORDERED -> new Ext4OrderedRules();
            case NO_ORDERING -> new NoOrderingRules();
        };
    }
}
