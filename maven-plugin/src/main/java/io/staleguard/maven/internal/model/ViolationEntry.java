package io.staleguard.maven.internal.model;

/**
 * A violation found by a soak, as listed in the summary. The full record, with its timeline and
 * minimal operation log, is in {@code file}.
 *
 * @param id         unique within the summary (a shard prefix keeps merged summaries unique)
 * @param source     {@code scenario}, {@code test} or {@code workload}
 * @param name       what produced it: {@code "H2 on PRESET"}, {@code "com.x.WalTest#append"}, {@code "file workload"}
 * @param hazard     H1..H5 for scenarios, else empty
 * @param preset     the kernel preset for scenarios, else empty
 * @param seed       the seed that reproduces it, hex
 * @param reproduce  one command line that reproduces it
 * @param file       the violation file, relative to {@code target/staleguard}
 * @param violation  the violation (its timeline is in the file)
 */
public record ViolationEntry(String id, String source, String name, String hazard, String preset, String seed,
                             String reproduce, String file, ReportedViolation violation) {

    public ViolationEntry {
        hazard = hazard == null ? "" : hazard;
        preset = preset == null ? "" : preset;
        seed = seed == null ? "" : seed;
        reproduce = reproduce == null ? "" : reproduce;
        file = file == null ? "" : file;
    }
}
