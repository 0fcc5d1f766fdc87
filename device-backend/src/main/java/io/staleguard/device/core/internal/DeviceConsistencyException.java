package io.staleguard.device.core.internal;

import io.staleguard.device.Violation;
import io.staleguard.device.oracle.IoConsistencyException;

/**
 * The fail-fast exception a verifying device throws: the violation's summary plus the device's
 * description, which carries its seed, so the failure can be reproduced from the message alone.
 */
public final class DeviceConsistencyException extends IoConsistencyException {

    private static final long serialVersionUID = 1L;
    private final String device;

    /**
     * @param violation the first failing violation
     * @param device    the device's {@code describe()}
     */
    public DeviceConsistencyException(Violation violation, String device) {
        super(violation);
        this.device = device;
    }

    @Override
    public String getMessage() {
        return super.getMessage() + " on " + device;
    }
}
