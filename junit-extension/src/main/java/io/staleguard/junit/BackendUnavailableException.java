package io.staleguard.junit;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * A test needs a backend this host cannot provide (for example LOOP without root). The message gives the
 * precise reason. With {@code staleguard.unavailable=skip} such tests are aborted (reported as skipped, with the
 * reason) instead.
 */
@API(status = STABLE, since = "0.1.0")
public class BackendUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with the reason. */
    public BackendUnavailableException(String message) {
        super(message);
    }
}
