package io.staleguard.device.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.loop.internal.LifecycleHook;
import io.staleguard.device.loop.internal.LifecycleStage;
import io.staleguard.device.loop.internal.Losetup;
import io.staleguard.device.loop.internal.LoopAttachment;
import io.staleguard.device.loop.internal.LoopSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** 200 create/destroy cycles, a third of them ending in exceptions, leave losetup -l as found. */
class LoopStressTest {

    private static final int CYCLES = 200;

    @Test
    void twoHundredCyclesSomeFailingLeaveNothingBehind() throws IOException {
        LoopTestSupport.requireLoop(FilesystemType.EXT4);
        long seed = Long.getLong("staleguard.seed", 0x5eedL);
        System.err.println("LoopStressTest seed=" + seed + " (reproduce: mvn -pl device-backend test"
                + " -Dtest=LoopStressTest -Dstaleguard.seed=" + seed + ")");
        SplittableRandom rnd = new SplittableRandom(seed);
        Path workDir = LoopTestSupport.newWorkDir("stress");
        LosetupSnapshot snapshot = LosetupSnapshot.take();
        int journalBefore = Losetup.detachJournal().size();
        int clean = 0;
        int ownerFailures = 0;
        int setupFailures = 0;
        try {
            for (int i = 0; i < CYCLES; i++) {
                boolean ext4 = i % 20 == 0;
                int outcome = rnd.nextInt(3); // 0 clean, 1 owner throws, 2 setup step fails
                LifecycleStage[] stages = ext4 ? LifecycleStage.values()
                        : new LifecycleStage[] {LifecycleStage.IMAGE_CREATED, LifecycleStage.MARKER_WRITTEN,
                            LifecycleStage.ATTACHED};
                LifecycleStage failAt = stages[rnd.nextInt(stages.length)];
                LifecycleHook hook = outcome != 2 ? null : (stage, a) -> {
                    if (stage == failAt) {
                        throw new IOException("injected at " + stage);
                    }
                };
                LoopSpec spec = new LoopSpec(workDir, ext4 ? 32L << 20 : 4L << 20, rnd.nextBoolean() ? 512 : 4096,
                        rnd.nextBoolean(), ext4 ? FilesystemType.EXT4 : FilesystemType.NONE, null, null, false, hook);
                try (LoopAttachment a = LoopAttachment.open(spec)) {
                    assertThat(a.device()).startsWith("/dev/loop");
                    if (outcome == 1) {
                        throw new IllegalStateException("owner fails in cycle " + i);
                    }
                    clean++;
                } catch (IllegalStateException e) {
                    ownerFailures++;
                } catch (IOException e) {
                    if (!e.getMessage().startsWith("injected at ")) {
                        throw e;
                    }
                    setupFailures++;
                }
                if (i % 50 == 49) {
                    assertThat(LoopTestSupport.attachedUnder(workDir)).as("after cycle %d", i).isEmpty();
                }
            }
            System.err.printf("LoopStressTest: %d cycles: %d clean, %d owner failures, %d setup failures,"
                    + " %d detaches%n", CYCLES, clean, ownerFailures, setupFailures,
                    Losetup.detachJournal().size() - journalBefore);
            assertThat(ownerFailures).isPositive();
            assertThat(setupFailures).isPositive();
            assertThat(clean + ownerFailures + setupFailures).isEqualTo(CYCLES);
            snapshot.assertUnchanged(workDir);
            assertThat(LoopTestSupport.mountedUnder(workDir)).isEmpty();
            try (Stream<Path> s = Files.walk(workDir)) {
                assertThat(s.filter(Files::isRegularFile)).as("files left under %s", workDir).isEmpty();
            }
        } finally {
            LoopTestSupport.forceReleaseUnder(workDir);
            LoopTestSupport.deleteTree(workDir);
        }
    }
}
