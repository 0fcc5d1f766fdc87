package io.staleguard.device.loop.internal;

import java.io.IOException;

/** Called after each setup step; a hook that throws makes the setup roll back (tests use this). */
@FunctionalInterface
public interface LifecycleHook {

    /** Does nothing. */
    LifecycleHook NONE = (stage, attachment) -> { };

    /** Called once {@code stage} is done. */
    void after(LifecycleStage stage, LoopAttachment attachment) throws IOException;
}
