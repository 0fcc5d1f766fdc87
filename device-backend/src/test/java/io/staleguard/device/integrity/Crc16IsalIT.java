package io.staleguard.device.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.staleguard.device.integrity.Crc16T10Dif.Implementation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ISA-L's {@code crc16_t10dif} through the multi-release jar's JDK 22 classes: run by the build on JDK 22 and
 * later, on the packaged jar, with {@code --enable-native-access=ALL-UNNAMED}. Needs Debian's {@code libisal2}:
 * without it the tests are skipped, loudly, and fail in CI ({@code CI=true}), whose script installs it.
 * Seeded: {@code -Dstaleguard.seed=0x...} replays a failure.
 */
class Crc16IsalIT {

    private static final long SEED = Long.getLong("staleguard.seed", 0x15A1_C16L);
    private static final String REPRODUCE = "reproduce: JAVA_HOME=<JDK 22+> mvn -B -o -q verify -pl device-backend"
            + " -Dinvoker.skip -Dtest=Crc16IsalIT -Dsurefire.failIfNoSpecifiedTests=false -Dstaleguard.seed=0x"
            + Long.toHexString(SEED);

    @BeforeAll
    static void requireIsal() {
        String reason = Implementation.ISA_L.unavailableReason();
        if (reason.isEmpty()) {
            return;
        }
        // -Dtest=... brings this class into the default execution too, which runs on target/classes.
        String from = String.valueOf(Crc16T10Dif.class.getProtectionDomain().getCodeSource().getLocation());
        Assumptions.assumeTrue(from.endsWith(".jar"),
                () -> "runs on the packaged multi-release jar only (the build's multi-release-jar execution), not on "
                        + from);
        if (!reason.contains("not found")) {
            fail("ISA-L should be usable in this JVM (JDK " + Runtime.version().feature() + ", the packaged jar,"
                    + " native access enabled) but is not: " + reason);
        }
        String msg = "ISA-L CRC-16 TESTS NOT RUN: " + reason;
        System.err.println("*** " + msg + " ***");
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(msg + " (CI=true: .ci/run installs libisal2)");
        }
        Assumptions.abort(msg);
    }

    @Test
    void crc16T10DifUsesIsaLWhenNativeAccessIsEnabled() {
        assertThat(Crc16T10Dif.implementation()).isEqualTo(Implementation.ISA_L);
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(Crc16T10Dif.compute(check, 0, check.length)).isEqualTo(Crc16T10Dif.CHECK);
    }

    @Test
    void isaLMatchesTheReferenceOnRandomRangesSeedsAndBuffers() {
        SplittableRandom random = new SplittableRandom(SEED);
        byte[] data = new byte[20_000];
        random.nextBytes(data);
        ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(data).clear();
        ByteBuffer sliced = ByteBuffer.wrap(data, 3, data.length - 3).slice();
        ByteBuffer readOnly = ByteBuffer.wrap(data).asReadOnlyBuffer();
        ByteBuffer directReadOnly = direct.asReadOnlyBuffer();
        for (int round = 0; round < 3000; round++) {
            int len = round <= 64 ? round : random.nextInt(4) == 0 ? 512 * random.nextInt(1, 17)
                    : random.nextInt(0, 9001);
            int off = random.nextInt(0, data.length - 3 - len + 1);
            int crc = round % 3 == 0 ? 0 : random.nextInt();
            String where = "round " + round + " crc 0x" + Integer.toHexString(crc) + " off " + off + " len " + len
                    + "; " + REPRODUCE;
            int expected = Implementation.SLICING_BY_16.update(crc, data, off, len);
            Implementation isal = Implementation.ISA_L;
            assertThat(isal.update(crc, data, off, len)).as("array, " + where).isEqualTo(expected);
            assertThat(isal.update(crc, direct, off, len)).as("direct, " + where).isEqualTo(expected);
            assertThat(isal.update(crc, readOnly, off, len)).as("read-only, " + where).isEqualTo(expected);
            assertThat(isal.update(crc, directReadOnly, off, len)).as("direct read-only, " + where)
                    .isEqualTo(expected);
            assertThat(isal.update(crc, sliced, off, len)).as("sliced, " + where)
                    .isEqualTo(Implementation.SLICING_BY_16.update(crc, data, off + 3, len));
            assertThat(Crc16T10Dif.update(crc, data, off, len)).as("selected, " + where).isEqualTo(expected);
        }
    }

    @Test
    void aUserJvmWithoutTheFlagRunsPureJavaAndPrintsNoWarning() throws Exception {
        Result r = probe(List.of());
        assertThat(r.stdout).as(r.toString()).isEqualTo("INTERLEAVED 0xd0db");
        assertThat(r.stderr).as(r.toString()).isEmpty();
    }

    @Test
    void aUserJvmWithTheFlagRunsIsaLAndPrintsNoWarning() throws Exception {
        Result r = probe(List.of("--enable-native-access=ALL-UNNAMED"));
        assertThat(r.stdout).as(r.toString()).isEqualTo("ISA_L 0xd0db");
        assertThat(r.stderr).as(r.toString()).isEmpty();
    }

    private record Result(List<String> command, String stdout, String stderr) {
    }

    private static Result probe(List<String> flags) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(flags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Crc16ImplementationProbe.class.getName());
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("the probe JVM did not end within 60 s: " + command);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.exitValue()).as("exit of %s; stderr: %s", command, err).isZero();
        return new Result(command, out, err);
    }
}
