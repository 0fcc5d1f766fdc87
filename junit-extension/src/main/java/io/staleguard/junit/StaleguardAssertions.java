package io.staleguard.junit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.staleguard.device.BlockDevice;
import io.staleguard.device.ViolationLog;
import org.apiguardian.api.API;

/**
 * AssertJ entry points for mid-test checks of what a device has recorded so far. AssertJ is an optional
 * dependency of the extension: add {@code assertj-core} to your test dependencies to use this class.
 *
 * <pre>{@code
 * import static io.staleguard.junit.StaleguardAssertions.assertThat;
 *
 * assertThat(device).hasNoViolations();
 * assertThat(device).hasViolationsOfKind(ViolationKind.GUARD_TAG);
 * }</pre>
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class StaleguardAssertions {

    private StaleguardAssertions() {
    }

    /** Assertions on the violations {@code device} recorded so far. */
    public static DeviceAssert assertThat(BlockDevice device) {
        return new DeviceAssert(device == null ? null : device.violations(), device == null ? "device"
                : "device " + device.describe());
    }

    /** Assertions on a violation log (a device's, or {@link RewriterThreads#violations()}). */
    public static DeviceAssert assertThat(ViolationLog log) {
        return new DeviceAssert(log, "violation log");
    }

    /** Assertions on what the rewriters' own stamp checks found. */
    public static DeviceAssert assertThat(RewriterThreads rewriters) {
        return new DeviceAssert(rewriters == null ? null : rewriters.violations(), "rewriters");
    }
}
