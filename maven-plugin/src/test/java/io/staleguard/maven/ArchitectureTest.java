package io.staleguard.maven;

import io.staleguard.device.architecture.ModuleStructureContract;

/** The structure rules of docs/ARCHITECTURE.md, and the {@code @API} marks, for maven-plugin. */
class ArchitectureTest extends ModuleStructureContract {

    ArchitectureTest() {
        super("maven-plugin", "io.staleguard.maven.");
    }
}
