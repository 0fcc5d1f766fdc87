package io.staleguard.device.fs.crash;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * The program's recovery, run once on every explored crash state with fresh channels and an empty page cache.
 * Throwing (an exception or a failed assertion) is a {@link io.staleguard.device.ViolationKind#CRASH_RECOVERY}
 * violation of that state; a {@code TestAbortedException} (an assumption) skips the state.
 */
@API(status = EXPERIMENTAL, since = "0.2")
@FunctionalInterface
public interface RecoveryCheck {

    /** Recovers from {@code state} and checks what the program promised its clients. */
    void check(CrashStateInfo state) throws Exception;
}
