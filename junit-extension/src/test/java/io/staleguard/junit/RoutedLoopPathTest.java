package io.staleguard.junit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.staleguard.device.fs.RoutingRequired;
import io.staleguard.device.loop.Availability;
import io.staleguard.device.loop.FilesystemType;
import io.staleguard.device.loop.LoopDevice;
import io.staleguard.junit.kit.Kit;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With routing installed (as the plugin's {@code prepare} goal does), a {@code Path} on LOOP counts its operations
 * and bytes as one on FILE does. Needs root and a free loop device: skipped loudly outside CI, failing in CI.
 */
@Tag(RoutingRequired.TAG)
class RoutedLoopPathTest {

    @TempDir
    Path reports;

    @BeforeEach
    void needsRoutingAndLoopDevices() {
        RoutingRequired.provider();
        Availability a = LoopDevice.availability(FilesystemType.EXT4);
        if (!a.available()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("CI must run the LOOP backend tests, but loop devices are unavailable: "
                        + a.reason());
            }
            System.err.println("*** SKIPPED RoutedLoopPathTest: loop devices unavailable here: " + a.reason() + " ***");
            Assumptions.abort("loop devices unavailable: " + a.reason());
        }
    }

    @Test
    void aRoutedPathOnLoopCountsItsOperationsAndBytesAsOnFile() throws Exception {
        Kit.assertCounts(Kit.run(LoopBackendTest.CountedPaths.class, reports), 3, 0, 0);
        ObjectMapper m = new ObjectMapper();
        Path dir = reports.resolve(LoopBackendTest.CountedPaths.class.getName());
        JsonNode file = m.readTree(dir.resolve("onFile.json").toFile());
        JsonNode loop = m.readTree(dir.resolve("onLoop.json").toFile());
        assertThat(file.get("devices").get(0).get("describe").asText()).contains("[Path routed from ");
        assertThat(loop.get("devices").get(0).get("describe").asText()).contains("[Path routed from ");
        assertThat(file.get("operations").asLong()).isEqualTo(7);
        assertThat(loop.get("operations").asLong()).isEqualTo(file.get("operations").asLong());
        assertThat(loop.get("bytes").asLong()).isEqualTo(file.get("bytes").asLong());
    }
}
