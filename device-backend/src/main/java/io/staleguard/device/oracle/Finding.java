package io.staleguard.device.oracle;

import io.staleguard.device.ViolationKind;

/** What the classification of one block found wrong, before it becomes a violation. */
record Finding(ViolationKind kind, String expected, String actual, String detail) {
}
