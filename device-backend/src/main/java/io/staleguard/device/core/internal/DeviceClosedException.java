package io.staleguard.device.core.internal;

import java.nio.channels.ClosedChannelException;

/** A {@link ClosedChannelException} that says which device was closed. */
public final class DeviceClosedException extends ClosedChannelException {

    private static final long serialVersionUID = 1L;
    private final String device;

    /** @param device the closed device's description */
    public DeviceClosedException(String device) {
        this.device = device;
    }

    @Override
    public String getMessage() {
        return "device is closed: " + device;
    }
}
