package io.staleguard.junit;

import io.staleguard.device.architecture.ModuleStructureContract;

/** The structure rules of docs/ARCHITECTURE.md, and the {@code @API} marks, for junit-extension. */
class ArchitectureTest extends ModuleStructureContract {

    ArchitectureTest() {
        super("junit-extension", "io.staleguard.junit.");
    }
}
