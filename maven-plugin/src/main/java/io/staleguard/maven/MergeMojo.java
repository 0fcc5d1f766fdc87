package io.staleguard.maven;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.staleguard.maven.internal.check.ReportSet;
import io.staleguard.maven.internal.check.SoakStatus;
import io.staleguard.maven.internal.json.ReportFileException;
import io.staleguard.maven.internal.json.ReportJson;
import io.staleguard.maven.internal.merge.SummaryMerger;
import io.staleguard.maven.internal.model.Counts;
import io.staleguard.maven.internal.model.SoakSummary;
import io.staleguard.maven.internal.model.ViolationEntry;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apiguardian.api.API;

/**
 * Combines the soak summaries of several machines or shards ({@code staleguard.inputs}) into one
 * {@code target/staleguard/soak-summary.json}, copying their violation files along, so that
 * {@code check} and {@code report} judge a whole fleet's nightly at once.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
@Mojo(name = "merge", threadSafe = true, requiresProject = false)
public class MergeMojo extends StaleguardMojo {

    /**
     * The summaries to merge, comma separated: {@code soak-summary.json} files, or directories
     * that contain one (such as each shard's downloaded {@code target/staleguard}).
     */
    @Parameter(property = "staleguard.inputs", required = true)
    private String inputs;

    /** The base directory relative input paths are resolved against. */
    @Parameter(defaultValue = "${basedir}", readonly = true)
    private File basedir;

    @Override
    public void execute() throws MojoExecutionException {
        if (skipped("merge")) {
            return;
        }
        List<Path> files = new ArrayList<>();
        for (String part : inputs.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            Path path = basedir.toPath().resolve(p).normalize();
            if (Files.isDirectory(path)) {
                path = path.resolve(ReportSet.SUMMARY);
            }
            if (!Files.isRegularFile(path)) {
                throw new MojoExecutionException("staleguard.inputs: no soak summary at " + path + " (from '" + p
                        + "')");
            }
            files.add(path);
        }
        if (files.isEmpty()) {
            throw new MojoExecutionException("staleguard.inputs: empty (give summary files or directories)");
        }
        List<SummaryMerger.Input> loaded = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            try {
                loaded.add(new SummaryMerger.Input(files.get(i).toString(), "m" + (i + 1) + "-",
                        ReportJson.read(files.get(i), SoakSummary.class, SoakSummary.FORMAT)));
            } catch (ReportFileException e) {
                throw new MojoExecutionException("Staleguard cannot read a summary to merge: " + e.getMessage());
            }
        }
        Path out = reportDirectory.toPath();
        try {
            for (SummaryMerger.Input in : loaded) {
                Path from = Path.of(in.label()).getParent();
                for (ViolationEntry e : in.summary().violations()) {
                    Path src = from.resolve(e.file());
                    if (!e.file().isEmpty() && Files.isRegularFile(src)) {
                        Path dst = out.resolve(SummaryMerger.rename(e.file(), in.prefix()));
                        Files.createDirectories(dst.getParent());
                        Files.copy(src, dst, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            SoakSummary merged = SummaryMerger.merge(loaded);
            Path target = out.resolve(ReportSet.SUMMARY);
            ReportJson.writeAtomically(target, merged);
            getLog().info("Staleguard: merged " + loaded.size() + " summaries into " + target + ": "
                    + merged.operations() + " operations, status " + merged.status() + ", violations: "
                    + Counts.inWords(merged.counts()));
            for (String s : merged.sources()) {
                getLog().info("  " + s);
            }
            if (SoakStatus.parse(merged.status()).map(st -> !st.whole()).orElse(true)) {
                // The worst input's status: one shard that did not finish makes the nightly not whole.
                getLog().warn("Staleguard: the merged summary is " + merged.status() + ", not whole: "
                        + merged.statusDetail() + "; staleguard:check fails on it");
            }
        } catch (IOException e) {
            throw new MojoExecutionException("Staleguard: cannot write the merged summary to " + out + ": " + e, e);
        }
    }
}
