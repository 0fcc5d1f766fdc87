package io.staleguard.device.fs;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.NIOFSDirectory;

/**
 * The one Lucene workload the filesystem tests run, unmodified Lucene on whatever {@code Path} they give it:
 * {@link #DOCS} documents indexed with {@code NIOFSDirectory} in {@link #COMMITS} commits, merged to one segment,
 * then reopened and searched. Shared through the test-jar, so that the extension's routing test indexes exactly
 * what device-backend's does.
 */
public final class LuceneWorkload {

    /** Documents indexed. */
    public static final int DOCS = 3000;
    /** Commits while indexing (one more follows the merge). */
    public static final int COMMITS = 4;
    private static final String[] WORDS = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf"};
    /** Documents whose body holds "charlie". */
    public static final int CHARLIES = DOCS / WORDS.length + 1;

    /** What a search of the reopened index found. */
    public record Found(int leaves, int docs, int charlies, int id2999, String body1234) {
    }

    private LuceneWorkload() {
    }

    /** The body document {@code i} was indexed with. */
    public static String body(int i) {
        return WORDS[i % WORDS.length] + " document number " + i;
    }

    /** Indexes, commits {@link #COMMITS} times, merges to one segment and commits again, in {@code dir}. */
    public static void index(Path dir) throws IOException {
        try (NIOFSDirectory d = new NIOFSDirectory(dir);
             IndexWriter w = new IndexWriter(d, new IndexWriterConfig(new StandardAnalyzer())
                     .setMaxBufferedDocs(DOCS / COMMITS / 2))) {
            for (int i = 0; i < DOCS; i++) {
                Document doc = new Document();
                doc.add(new StringField("id", Integer.toString(i), Field.Store.YES));
                doc.add(new TextField("body", body(i), Field.Store.YES));
                w.addDocument(doc);
                if ((i + 1) % (DOCS / COMMITS) == 0) {
                    w.commit();
                }
            }
            w.forceMerge(1);
            w.commit();
        }
    }

    /** Reopens the index in {@code dir} and searches it. */
    public static Found search(Path dir) throws IOException {
        try (NIOFSDirectory d = new NIOFSDirectory(dir); DirectoryReader r = DirectoryReader.open(d)) {
            IndexSearcher s = new IndexSearcher(r);
            String body = s.storedFields().document(
                    s.search(new TermQuery(new Term("id", "1234")), 1).scoreDocs[0].doc).get("body");
            return new Found(r.leaves().size(), r.numDocs(), s.count(new TermQuery(new Term("body", "charlie"))),
                    s.count(new TermQuery(new Term("id", "2999"))), body);
        }
    }
}
