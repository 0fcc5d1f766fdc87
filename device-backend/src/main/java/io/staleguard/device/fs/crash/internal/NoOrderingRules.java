package io.staleguard.device.fs.crash.internal;

import io.staleguard.device.fs.crash.CrashModel;

/**
 * {@link CrashModel#NO_ORDERING}: journaled metadata as ext4, committed by every sync, but no ordering of data:
 * every write not yet forced is an independent item, so a persisted size may cover dropped data, which reads as
 * zeros.
 */
public final class NoOrderingRules implements ModelRules {

    private final JournalRules journal = new JournalRules(CrashModel.NO_ORDERING, false, false);

    @Override
    public CrashModel model() {
        return CrashModel.NO_ORDERING;
    }

    @Override
    public VolatileSet at(CrashLog l, int point, int unit) {
        return journal.at(l, point, unit, this);
    }

    @Override
    public Resolution resolve(VolatileSet set, int[] choices) {
        return journal.resolve(set, choices);
    }
}
