package io.staleguard.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.fs.RoutingFileSystemProvider;
import io.staleguard.junit.kit.BufferReusingLog;
import io.staleguard.junit.kit.Kit;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Without the routing provider (the normal test JVM): an injected {@code Path} is a path of Staleguard's own
 * filesystem, and a path that code builds from its name is a plain host path that escapes every check, as
 * docs/USER-GUIDE.md says. {@code RoutingTest} is the same program caught with routing on.
 */
class WithoutRoutingTest {

    @TempDir
    Path reports;

    @StaleguardTest
    @Tag("staleguard-kit")
    static class BuiltPathOnFile {
        @Test
        void buggy(@Device(backend = Backend.FILE) Path dir) throws Exception {
            if (dir.getFileSystem() == FileSystems.getDefault()) {
                throw new AssertionError("without routing the injected path is the verifying filesystem's");
            }
            try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(Paths.get(dir.toString(), "wal"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                BufferReusingLog log = new BufferReusingLog(ch, true);
                for (int i = 1; i <= 8; i++) {
                    log.append((byte) i);
                }
                log.sync();
            }
        }
    }

    @Test
    void aPathBuiltFromTheInjectedNameEscapesWithoutRouting() {
        assertThat(RoutingFileSystemProvider.installed()).isEmpty();
        EngineExecutionResults r = Kit.run(BuiltPathOnFile.class, reports);
        Kit.assertCounts(r, 1, 0, 0);
    }
}
