package io.staleguard.device.fs.crash.internal;

import io.staleguard.device.fs.crash.CrashModel;

/**
 * {@link CrashModel#EXT4_ORDERED}: one journal committed by every sync; the data of a write that maps fresh blocks is
 * ordered before its metadata, so a size never persists ahead of the blocks it allocated; overwrites and appends
 * inside the last allocated block may persist, tear or not (their size is journaled without them); a rename over an
 * existing file keeps the source's data ({@code auto_da_alloc}).
 */
public final class Ext4OrderedRules implements ModelRules {

    private final JournalRules journal = new JournalRules(CrashModel.EXT4_ORDERED, true, true);

    @Override
    public CrashModel model() {
        return CrashModel.EXT4_ORDERED;
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
