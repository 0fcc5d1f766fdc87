package io.staleguard.device.sim.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ReferenceTest {

    /** A file name of the project's private thread archive, or a path of a build machine. */
    private static final Pattern PRIVATE = Pattern.compile("[0-9]{3}_[0-9a-f]{16}|[0-9]{3}_\\*|/work/|shared/seeds");

    @Test
    void citationNamesSubjectAuthorDateAndCommitsWithoutAUrl() {
        assertThat(KernelThreads.AIO_DIO_INVALIDATE_2008.citation()).isEqualTo(
                "\"[patch] aio: invalidate async directio writes\", Jeff Moyer, 2008-06-18 (commits 65b8291c, bdb76ef5)");
        assertThat(KernelThreads.IOMAP_DIO_PARTIAL_2022.citation()).endsWith("2022-02-28 (commit 51bd9563)");
        assertThat(KernelThreads.DAX_FAULT_2017.citation()).startsWith("Jan Kara").doesNotContain("\"");
        for (Reference r : KernelThreads.ALL) {
            assertThat(r.citation()).doesNotContain("http").doesNotContainPattern(PRIVATE);
        }
    }

    @Test
    void everyHazardAndPresetCitesThePublicRecordOnly() {
        List<String> cited = new ArrayList<>();
        for (Hazard h : Hazard.values()) {
            assertThat(h.references()).as(h.name()).isNotEmpty();
            h.references().forEach(r -> cited.add(r.citation()));
            assertThat(h.description()).doesNotContainPattern(PRIVATE);
        }
        for (KernelPreset p : KernelPreset.all()) {
            assertThat(p.hazard().map(Hazard::references).orElse(KernelThreads.ALL)).containsAll(p.references());
            assertThat(p.summary()).doesNotContainPattern(PRIVATE);
        }
        assertThat(KernelPreset.MODERN.references()).containsExactlyInAnyOrderElementsOf(KernelThreads.ALL);
        assertThat(cited).allSatisfy(c -> assertThat(c).doesNotContainPattern(PRIVATE));
    }

    @Test
    void hazardsDocCitesEachHazardsThreadsAsHazardsDocWritesThem() throws IOException {
        Path doc = Path.of("..", "docs", "HAZARDS.md");
        if (!Files.exists(doc)) {
            return; // the module built on its own, outside the repository
        }
        String text = Files.readString(doc, StandardCharsets.UTF_8);
        assertThat(text).doesNotContainPattern(PRIVATE).contains(HazardsDoc.INTRO);
        for (Hazard h : Hazard.values()) {
            assertThat(text).contains((h.references().size() == 1 ? "Thread: " : "Threads: ")
                    + HazardsDoc.citations(h) + ". " + h.description() + ".");
        }
    }
}
