package io.staleguard.junit.internal;

/**
 * The first of several failures, with the later ones attached to it as suppressed: how a step that must try
 * every part (close every resource, stop every rewriter) reports what went wrong without hiding any of it.
 *
 * @param <T> the failures' type
 */
final class FirstFailure<T extends Throwable> {

    private T first;

    /** Keeps {@code failure} if it is the first, else attaches it to the first; {@code null} is ignored. */
    void add(T failure) {
        if (failure == null) {
            return;
        }
        if (first == null) {
            first = failure;
        } else {
            first.addSuppressed(failure);
        }
    }

    /** The first failure, or null. */
    T get() {
        return first;
    }

    /** Throws the first failure, if there was one. */
    void rethrow() throws T {
        if (first != null) {
            throw first;
        }
    }
}
