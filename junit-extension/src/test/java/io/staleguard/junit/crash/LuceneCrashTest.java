package io.staleguard.junit.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.junit.Crash;
import io.staleguard.junit.Device;
import io.staleguard.junit.StaleguardTest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.NIOFSDirectory;
import io.staleguard.device.ViolationKind;
import io.staleguard.junit.IoConsistencyError;
import io.staleguard.junit.kit.Kit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Lucene's commit is crash-safe under POSIX: it fsyncs the files, renames the pending segments file, then the directory. */
@StaleguardTest
class LuceneCrashTest {

    private static final String[] WORDS = {"lucene", "index", "segment", "commit", "fsync", "crash", "state"};

    @Test
    void commitIsCrashSafe(@Device(size = "256MiB") Path dir, Crash crash) throws Exception {
        indexAndRecover(dir, crash, NIOFSDirectory::new);
        assertThat(crash.statesExplored()).isEqualTo(200);
    }

    /** Opens the index's directory for the workload. */
    interface Directories {
        Directory open(Path index) throws IOException;
    }

    @TempDir
    Path reports;

    @StaleguardTest
    @Tag("staleguard-kit")
    static class SkippingSyncMetaData {
        @Test
        void test(@Device(size = "256MiB") Path dir, Crash crash) throws Exception {
            indexAndRecover(dir, crash, index -> new FilterDirectory(new NIOFSDirectory(index)) {
                @Override
                public void syncMetaData() {
                }
            });
        }
    }

    @Test
    void skippingSyncMetaDataIsCaught() {
        EngineExecutionResults r = Kit.run(SkippingSyncMetaData.class, reports);
        Kit.assertCounts(r, 0, 1, 0);
        Throwable t = Kit.failure(r, "test");
        assertThat(t).isInstanceOf(IoConsistencyError.class);
        assertThat(((IoConsistencyError) t).violations()).anySatisfy(v -> {
            assertThat(v.kind()).isEqualTo(ViolationKind.CRASH_RECOVERY);
            assertThat(v.detail()).contains("/test/index/", "was never fsynced after the");
            assertThat(v.actual()).containsAnyOf("IndexNotFoundException", "generation");
        });
    }

    static void indexAndRecover(Path dir, Crash crash, Directories directories) throws Exception {
        // Lucene creates its directory but never fsyncs the parent: the index directory is setup, made durable here.
        Path index = java.nio.file.Files.createDirectory(dir.resolve("index"));
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(dir,
                java.nio.file.StandardOpenOption.READ)) {
            ch.force(true);
        }
        crash.explore(() -> {
            try (Directory d = directories.open(index);
                 IndexWriter w = new IndexWriter(d, new IndexWriterConfig().setMergePolicy(NoMergePolicy.INSTANCE))) {
                for (int c = 1; c <= 4; c++) {
                    addDocs(w, 250, c);
                    w.commit();
                    crash.acknowledge("gen-" + SegmentInfos.getLastCommitGeneration(d) + "-docs-" + 250 * c);
                }
            }
        }, state -> {
            long gen = 0;
            long docs = 0;
            for (String k : state.acknowledged()) {
                String[] p = k.split("-");
                gen = Math.max(gen, Long.parseLong(p[1]));
                docs = Math.max(docs, Long.parseLong(p[3]));
            }
            try (Directory d = new NIOFSDirectory(index)) {
                if (gen == 0 && !DirectoryReader.indexExists(d)) {
                    return;
                }
                try (DirectoryReader r = DirectoryReader.open(d)) {
                    assertThat(r.getIndexCommit().getGeneration()).isGreaterThanOrEqualTo(gen);
                    assertThat(r.numDocs()).isGreaterThanOrEqualTo((int) docs);
                    assertThat(new IndexSearcher(r).count(new TermQuery(new Term("body", "lucene")))).isPositive();
                }
            }
        });
    }

    private static void addDocs(IndexWriter w, int n, int commit) throws IOException {
        SplittableRandom random = new SplittableRandom(commit);
        for (int i = 0; i < n; i++) {
            StringBuilder body = new StringBuilder("lucene");
            for (int k = 0; k < 12; k++) {
                body.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
            }
            Document doc = new Document();
            doc.add(new StringField("commit", Integer.toString(commit), Field.Store.YES));
            doc.add(new TextField("body", body.toString(), Field.Store.NO));
            w.addDocument(doc);
        }
    }
}
