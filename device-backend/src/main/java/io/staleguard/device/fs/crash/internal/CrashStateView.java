package io.staleguard.device.fs.crash.internal;

import io.staleguard.device.fs.crash.CrashModel;
import io.staleguard.device.fs.crash.CrashStateInfo;
import java.util.Set;

/** The {@link CrashStateInfo} a recovery receives. */
record CrashStateView(int index, Set<String> acknowledged, CrashModel model, String describe)
        implements CrashStateInfo {

    CrashStateView {
        acknowledged = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(acknowledged));
    }
}
