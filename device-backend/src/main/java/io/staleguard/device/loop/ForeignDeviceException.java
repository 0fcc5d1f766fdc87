package io.staleguard.device.loop;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.io.IOException;
import org.apiguardian.api.API;

/**
 * Thrown when a loop backend is asked to attach, format, mount or write a device or image it did
 * not create in this run, or an image carrying a filesystem signature it did not write, without
 * the explicit {@code allowForeignDevice} option. Nothing has been touched when this is thrown.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ForeignDeviceException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception; the message names the refused path and the reason. */
    public ForeignDeviceException(String message) {
        super(message);
    }
}
