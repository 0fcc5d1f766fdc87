package io.staleguard.junit.internal;

import java.util.List;

/** Closes several resources so that one failing does not leave the others open. */
final class Closing {

    private Closing() {
    }

    /**
     * Closes each resource in list order ({@code null}s skipped), then throws the first failure, with the later
     * ones added to it as suppressed.
     */
    static void closeAll(List<? extends AutoCloseable> resources) throws Exception {
        FirstFailure<Exception> failure = new FirstFailure<>();
        for (AutoCloseable c : resources) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (Exception e) {
                failure.add(e);
            }
        }
        failure.rethrow();
    }
}
