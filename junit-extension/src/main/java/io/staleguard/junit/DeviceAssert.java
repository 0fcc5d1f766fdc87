package io.staleguard.junit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.ViolationLog;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.apiguardian.api.API;
import org.assertj.core.api.AbstractAssert;

/** AssertJ assertions on the violations a device (or rewriters) recorded so far. */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class DeviceAssert extends AbstractAssert<DeviceAssert, ViolationLog> {

    private final String what;

    DeviceAssert(ViolationLog log, String what) {
        super(log, DeviceAssert.class);
        this.what = what;
    }

    /** Fails if any violation was recorded. */
    public DeviceAssert hasNoViolations() {
        isNotNull();
        if (actual.total() > 0) {
            failWithMessage("expected %s to have no violations but it has %s:%n%s", what, actual.counts(),
                    render(actual));
        }
        return this;
    }

    /** Fails unless at least one violation of each given kind was recorded. */
    public DeviceAssert hasViolationsOfKind(ViolationKind... kinds) {
        isNotNull();
        for (ViolationKind k : kinds) {
            if (actual.count(k) == 0) {
                failWithMessage("expected %s to have %s violations but it has %s", what, k,
                        actual.counts().isEmpty() ? "none" : actual.counts());
            }
        }
        return this;
    }

    /** Fails if any violation of the given kinds was recorded. */
    public DeviceAssert hasNoViolationsOfKind(ViolationKind... kinds) {
        isNotNull();
        for (ViolationKind k : kinds) {
            if (actual.count(k) > 0) {
                failWithMessage("expected %s to have no %s violations but it has %d:%n%s", what, k, actual.count(k),
                        render(actual));
            }
        }
        return this;
    }

    /** Fails unless exactly {@code n} violations were recorded in total. */
    public DeviceAssert hasViolationCount(long n) {
        isNotNull();
        if (actual.total() != n) {
            failWithMessage("expected %s to have %d violations but it has %d (%s)", what, n, actual.total(),
                    actual.counts());
        }
        return this;
    }

    /** Fails unless only violations of the given kinds were recorded (and at least one). */
    public DeviceAssert hasOnlyViolationsOfKind(ViolationKind... kinds) {
        hasViolationsOfKind(kinds);
        var allowed = Arrays.asList(kinds);
        var others = actual.counts().keySet().stream().filter(k -> !allowed.contains(k)).toList();
        if (!others.isEmpty()) {
            failWithMessage("expected %s to have only %s violations but it also has %s", what, allowed, others);
        }
        return this;
    }

    private static String render(ViolationLog log) {
        return log.all().stream().limit(5).map(Violation::summary).map(s -> "  " + s)
                .collect(Collectors.joining(System.lineSeparator()));
    }
}
