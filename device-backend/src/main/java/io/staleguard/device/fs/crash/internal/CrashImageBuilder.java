package io.staleguard.device.fs.crash.internal;

import io.staleguard.device.fs.crash.internal.LogRecord.EntryRec;
import io.staleguard.device.fs.crash.internal.LogRecord.TruncateRec;
import io.staleguard.device.fs.crash.internal.LogRecord.WriteRec;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds the image of a crash state: the base, then the records before the point whose fate applies them, in log
 * order (later bytes win, a torn write only its leading units), then each file's crash size (bytes past it cut).
 * Images are copy-on-write over the base ({@link TreeImage#copy()}): one costs the pages its records change. Not
 * thread safe.
 */
public final class CrashImageBuilder {

    private final TreeImage base;
    private final CrashLog log;
    private final int unit;
    /** The live images claims are checked against, by point: each is asked for once per state and claim. */
    private final Map<Integer, TreeImage> live = new HashMap<>();
    /** Where a write's bytes come out of the log before they go into an image. */
    private byte[] scratch = new byte[0];

    /** A builder over {@code base} (the image at the start of the run) for {@code log}, tearing at {@code unit}. */
    public CrashImageBuilder(TreeImage base, CrashLog log, int unit) {
        this.base = base;
        this.log = log;
        this.unit = unit;
    }

    /** The image of {@code res} at its set's point. */
    public TreeImage build(Resolution res) {
        TreeImage img = base.copy();
        Fate[] fates = res.fates();
        for (int i = 0; i < fates.length; i++) {
            Fate f = fates[i];
            if (f != null && f.applied()) {
                apply(img, log.records().get(i), f);
            }
        }
        for (Map.Entry<Long, Long> e : res.sizes().entrySet()) {
            img.setSize(e.getKey(), e.getValue());
        }
        return img;
    }

    /** The image the live filesystem had just before record {@code point}: every earlier record applied. */
    public TreeImage live(int point) {
        TreeImage cached = live.get(point);
        if (cached != null) {
            return cached.copy();
        }
        TreeImage img = base.copy();
        for (int i = 0; i < point - 1; i++) {
            LogRecord r = log.records().get(i);
            apply(img, r, Fate.KEPT);
            if (r instanceof WriteRec w) {
                img.setSize(w.ino(), w.sizeAfter());
            }
        }
        live.put(point, img);
        return img.copy();
    }

    private void apply(TreeImage img, LogRecord r, Fate f) {
        if (r instanceof EntryRec e) {
            switch (e.op()) {
                case CREATE, MKDIR -> img.link(e.parentIno(), e.name(), e.ino(), e.op() == LogRecord.EntryOp.MKDIR);
                case UNLINK, RMDIR -> img.unlink(e.parentIno(), e.name(), e.ino());
                case RENAME -> {
                    img.unlink(e.parentIno(), e.name(), e.ino());
                    img.link(e.toParentIno(), e.toName(), e.ino(), e.dir());
                }
            }
        } else if (r instanceof WriteRec w) {
            int len = f.kind() == Fate.Kind.TORN ? tornLength(w, f.keptUnits()) : w.len();
            if (scratch.length < len) {
                scratch = new byte[Math.max(len, 2 * scratch.length)];
            }
            log.bytes().copy(w.arenaOff(), len, scratch, 0);
            img.write(w.ino(), w.fileOff(), scratch, 0, len);
        } else if (r instanceof TruncateRec t) {
            img.setSize(t.ino(), t.newSize());
        }
    }

    /** How many leading bytes of {@code w} its first {@code units} units hold. */
    public int tornLength(WriteRec w, int units) {
        long unitEnd = (w.fileOff() / unit + units) * (long) unit;
        return (int) (Math.min(w.end(), unitEnd) - w.fileOff());
    }
}
