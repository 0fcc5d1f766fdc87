package io.staleguard.device.fs.crash.internal;

import io.staleguard.device.FileLocation;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.fs.crash.internal.LogRecord.ClaimRec;
import io.staleguard.device.fs.crash.internal.LogRecord.EntryOp;
import io.staleguard.device.fs.crash.internal.LogRecord.EntryRec;
import io.staleguard.device.fs.crash.internal.LogRecord.TruncateRec;
import io.staleguard.device.fs.crash.internal.LogRecord.WriteRec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * {@link ViolationKind#DURABILITY} over a claim and a crash image. A claim made at {@code c} is active at every
 * point after it until the program next writes or truncates the claimed range (a whole-file claim: the file), or
 * renames or unlinks the claimed path or one of its directories. It holds in an image iff the path resolves to
 * a file through every entry on the way, the file is long enough (a whole-file claim: exactly its size
 * at the claim), and the claimed bytes equal the bytes the log says the file had at the claim. A claim of a
 * directory claims its entry chain and the names it held at the claim (not their contents); it ends when the
 * program next removes or renames a name out of it.
 */
public final class ClaimChecker {

    /** What a state lost of a claim. */
    public record Loss(ClaimRec claim, String actual, long fileOffset, long length) {
    }

    private final CrashLog log;
    private final CrashImageBuilder images;
    /** The names each claimed directory held at its claim, by the claim's sequence number; files are absent. */
    private final java.util.Map<Long, java.util.Set<String>> claimedNames = new java.util.HashMap<>();

    public ClaimChecker(CrashLog log, CrashImageBuilder images) {
        this.log = log;
        this.images = images;
    }

    /** The claims of the log. */
    public List<ClaimRec> claims() {
        List<ClaimRec> out = new ArrayList<>();
        for (LogRecord r : log.records()) {
            if (r instanceof ClaimRec c) {
                out.add(c);
            }
        }
        return out;
    }

    /** Whether {@code claim} still binds at {@code point}. */
    public boolean active(ClaimRec claim, int point) {
        if (point <= claim.seq()) {
            return false;
        }
        for (int i = (int) claim.seq(); i < point - 1; i++) {
            LogRecord r = log.records().get(i);
            if (r instanceof WriteRec w && w.ino() == claim.ino()
                    && (claim.wholeFile() || w.fileOff() < claim.off() + claim.len() && claim.off() < w.end())) {
                return false;
            }
            if (r instanceof TruncateRec t && t.ino() == claim.ino()
                    && (claim.wholeFile() || t.newSize() < claim.off() + claim.len())) {
                return false;
            }
            if (r instanceof EntryRec e && !e.op().adds() && e.parentIno() == claim.ino() && ofDirectory(claim)) {
                return false;
            }
            if (r instanceof EntryRec e && (e.op() == EntryOp.RENAME || e.op() == EntryOp.UNLINK
                    || e.op() == EntryOp.RMDIR) && (covers(e.path(), claim.path())
                    || e.op() == EntryOp.RENAME && covers(e.toPath(), claim.path()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean covers(String entryPath, String path) {
        return path.equals(entryPath) || path.startsWith(entryPath + "/");
    }

    /** Whether {@code claim} is of a directory. */
    public boolean ofDirectory(ClaimRec claim) {
        return claim.wholeFile() && namesAtClaim(claim) != null;
    }

    private java.util.Set<String> namesAtClaim(ClaimRec claim) {
        return claimedNames.computeIfAbsent(claim.seq(), k -> {
            TreeImage live = images.live((int) claim.seq());
            return live.isDirectory(claim.ino()) ? java.util.Set.copyOf(live.children(claim.ino()).keySet()) : null;
        });
    }

    /** The claimed range {@code [from, to)} at the claim. */
    public long[] range(ClaimRec claim) {
        return claim.wholeFile() ? new long[] {0, images.live((int) claim.seq()).size(claim.ino())}
                : new long[] {claim.off(), claim.off() + claim.len()};
    }

    /** The claimed bytes as the log says the file had them at the claim. */
    public byte[] claimedBytes(ClaimRec claim) {
        long[] r = range(claim);
        return images.live((int) claim.seq()).read(claim.ino(), r[0], (int) (r[1] - r[0]));
    }

    /** What {@code image} (of crash state {@code state}) lost of {@code claim}, if anything. */
    public Optional<Loss> check(ClaimRec claim, TreeImage image, int state) {
        long[] r = range(claim);
        String prefix = "crash state " + state + ": ";
        long ino = image.resolve(claim.path());
        if (ofDirectory(claim)) {
            if (ino < 0 || !image.isDirectory(ino)) {
                return Optional.of(new Loss(claim, prefix + "no such directory", 0, 0));
            }
            for (String name : new java.util.TreeSet<>(namesAtClaim(claim))) {
                if (!image.children(ino).containsKey(name)) {
                    return Optional.of(new Loss(claim, prefix + "no entry '" + name + "'", 0, 0));
                }
            }
            return Optional.empty();
        }
        if (ino < 0 || image.isDirectory(ino)) {
            return Optional.of(new Loss(claim, prefix + "no such file", r[0], r[1] - r[0]));
        }
        // The name may hold another inode (a rename that did not persist): a recovery sees that file's bytes.
        long size = image.size(ino);
        if (size < r[1] || claim.wholeFile() && size != r[1]) {
            long from = Math.max(r[0], Math.min(size, r[1]));
            return Optional.of(new Loss(claim, prefix + "size " + size, from, Math.max(0, r[1] - from)));
        }
        byte[] want = claimedBytes(claim);
        byte[] got = image.read(ino, r[0], want.length);
        for (int i = 0; i < want.length; i++) {
            if (want[i] != got[i]) {
                int last = want.length - 1;
                while (want[last] == got[last]) {
                    last--;
                }
                return Optional.of(new Loss(claim, prefix + "bytes from " + (r[0] + i) + " differ", r[0] + i,
                        last - i + 1));
            }
        }
        return Optional.empty();
    }

    /** The DURABILITY violation of a loss, explained by {@code detail}, in the first of {@code losing} states. */
    public Violation violation(Loss loss, String detail) {
        long[] r = range(loss.claim());
        CRC32C crc = new CRC32C();
        crc.update(claimedBytes(loss.claim()));
        return Violation.of(ViolationKind.DURABILITY).at(0, loss.length(), 0)
                .saw(CrashText.claimed(loss.claim(), r[0], r[1], crc.getValue()), loss.actual())
                .by(loss.claim().thread(), List.of())
                .detail(detail)
                .build()
                .locatedAt(new FileLocation(loss.claim().path(), loss.fileOffset()));
    }
}
