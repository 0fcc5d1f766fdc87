package io.staleguard.junit;

import static org.apiguardian.api.API.Status.STABLE;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * Starts rewriter threads that stress a test's device while the test body runs. They are stopped and joined
 * when the test body ends; an exception in one fails the test, and no rewriter thread outlives its test.
 *
 * <p>Put it on a parameter or field of type {@link RewriterThreads} (the handle, whose
 * {@link RewriterThreads#run run(...)} runs your own bodies on rewriter threads), or of type {@code Rewriters}
 * itself when you only want the threads running. Java does not let an annotation and a class share one name,
 * so the handle type is {@link RewriterThreads}.
 *
 * <pre>{@code
 * @Test
 * void logSurvivesWriteback(@Device(name = "d") BlockDevice dev,
 *                           @Rewriters(threads = 2, pattern = Rewriters.Pattern.READAHEAD_TRAILER, device = "d")
 *                           RewriterThreads rewriters) { ... }
 * }</pre>
 */
@API(status = STABLE, since = "0.1.0")
@Target({ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Rewriters {

    /** Number of built-in rewriter threads (0 runs none; {@link RewriterThreads#run} still works). */
    int threads() default 2;

    /** What the built-in threads do. */
    Pattern pattern() default Pattern.STAMPED_REGION;

    /**
     * The {@link Device#name() name} of the device to stress; empty means the test's only device (a test with
     * several devices must name one).
     */
    String device() default "";

    /**
     * Bytes at the end of the device reserved for {@link Pattern#STAMPED_REGION} and
     * {@link Pattern#TOUCH_WRITEBACK}, e.g. {@code "1MiB"}; empty (the default) means 1 MiB or an eighth of the
     * device, whichever is smaller. The test's own I/O must stay below {@link RewriterThreads#reservedOffset()}.
     * {@link Pattern#READAHEAD_TRAILER} reserves nothing: it reads the whole device.
     */
    String region() default "";

    /** The built-in rewriter workloads, after the reproducers of the kernel threads they come from. */
    @API(status = STABLE, since = "0.1.0")
    enum Pattern {
        /**
         * Self-verifying stamped I/O on the reserved region, mixing buffered, direct and asynchronous paths. Each
         * block carries a header with magic, offset, generation, writer id and a CRC-32C of the payload, as fio's
         * verify header does; every read-back is checked against the last generation written.
         */
        STAMPED_REGION,
        /**
         * Re-dirties pages under writeback without changing their content (buffered rewrites of identical data
         * followed by flushes), on the reserved region. Exercises the stable-pages path of "[RFC] block integrity:
         * Fix write after checksum calculation problem" (Darrick J. Wong, linux-scsi, 2011-02-22).
         */
        TOUCH_WRITEBACK,
        /**
         * A buffered sequential reader that trails the test's data region, filling the page cache through
         * read-ahead, as Karl Schendel's trailing reader does in "[patch] aio: invalidate async directio writes"
         * (Jeff Moyer, 2008-06-18; commits 65b8291c, bdb76ef5). Its reads are checked by the history oracle.
         */
        READAHEAD_TRAILER
    }
}
