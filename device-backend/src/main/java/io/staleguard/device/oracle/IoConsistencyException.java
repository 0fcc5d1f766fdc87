package io.staleguard.device.oracle;

import static org.apiguardian.api.API.Status.STABLE;

import io.staleguard.device.Violation;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Thrown by {@link ViolationRecorder#record(Violation)} when fail-fast is on and a violation of a
 * failing kind is recorded. Unchecked, so that it can escape from inside I/O paths and listeners
 * that do not declare exceptions.
 */
@API(status = STABLE, since = "0.1")
public class IoConsistencyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Violation violation;

    /** An exception for one violation; the message is {@link Violation#summary()}. */
    public IoConsistencyException(Violation violation) {
        super(Objects.requireNonNull(violation, "violation").summary());
        this.violation = violation;
    }

    /** The violation that made the recorder fail fast. */
    public Violation violation() {
        return violation;
    }
}
