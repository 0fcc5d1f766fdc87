package io.staleguard.maven.internal.check;

import io.staleguard.device.ViolationKind;
import io.staleguard.maven.internal.json.ReportFileException;
import io.staleguard.maven.internal.model.ReportedViolation;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;

/**
 * Rejects report files that name violation kinds this plugin does not know, so that a count is
 * never silently dropped from a verdict.
 */
final class KnownKinds {

    private KnownKinds() {
    }

    static void check(Path file, Map<String, Long> counts, Collection<ReportedViolation> violations)
            throws ReportFileException {
        for (String k : counts.keySet()) {
            known(file, k);
        }
        for (ReportedViolation v : violations) {
            if (v == null) {
                throw new ReportFileException(file, "malformed report (null violation)");
            }
            known(file, v.kind());
        }
    }

    private static void known(Path file, String kind) throws ReportFileException {
        try {
            ViolationKind.parse(kind == null ? "" : kind);
        } catch (IllegalArgumentException e) {
            throw new ReportFileException(file, "unknown violation kind '" + kind + "'");
        }
    }
}
