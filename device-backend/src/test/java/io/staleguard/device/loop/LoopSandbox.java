package io.staleguard.device.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The sandbox every loop test runs in: checks the prerequisites (skip loudly outside CI, fail in CI), gives the
 * test its own work directory, and afterwards asserts that nothing is left mounted or attached under it and that
 * no device outside it was detached, then force-releases and deletes whatever is left, also when the test failed.
 * Registered with {@code @RegisterExtension}: per test class on a static field ({@link #perClass}), per test on an
 * instance field ({@link #perTest}).
 */
final class LoopSandbox implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private final FilesystemType filesystem;
    private final String name;
    private final boolean perClass;
    private Path workDir;
    private LosetupSnapshot snapshot;

    private LoopSandbox(FilesystemType filesystem, String name, boolean perClass) {
        this.filesystem = filesystem;
        this.name = name;
        this.perClass = perClass;
    }

    /** One sandbox for all tests of the class; register on a static field. */
    static LoopSandbox perClass(FilesystemType filesystem, String name) {
        return new LoopSandbox(filesystem, name, true);
    }

    /** A fresh sandbox for each test; register on an instance field. */
    static LoopSandbox perTest(FilesystemType filesystem, String name) {
        return new LoopSandbox(filesystem, name, false);
    }

    /** The work directory of the running test (class). */
    Path workDir() {
        return workDir;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        if (perClass) {
            open();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (perClass) {
            close();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        if (!perClass) {
            open();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        if (!perClass) {
            close();
        }
    }

    private void open() throws IOException {
        LoopTestSupport.requireLoop(filesystem);
        workDir = LoopTestSupport.newWorkDir(name);
        snapshot = LosetupSnapshot.take();
    }

    private void close() throws IOException {
        if (snapshot == null) {
            return;
        }
        try {
            assertThat(LoopTestSupport.mountedUnder(workDir)).isEmpty();
            snapshot.assertUnchanged(workDir);
        } finally {
            snapshot = null;
            LoopTestSupport.forceReleaseUnder(workDir);
            LoopTestSupport.deleteTree(workDir);
        }
    }
}
