package io.staleguard.device.loop.internal;

/** The steps of a loop device's setup, in order; tests inject failures after each one. */
public enum LifecycleStage {
    IMAGE_CREATED, MARKER_WRITTEN, ATTACHED, FORMATTED, MOUNTED, OPENED
}
