package io.staleguard.junit;

import static org.apiguardian.api.API.Status.STABLE;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;
import org.junit.jupiter.api.Tag;

/**
 * Marks a Staleguard test as a soak candidate. An ordinary test run runs it once; the Maven plugin's
 * {@code soak} goal selects the tag {@value #TAG} and repeats the tests with fresh seeds.
 *
 * <pre>{@code
 * @Soak
 * @Test
 * void ringBufferUnderReadahead(@Device BlockDevice device) { ... }
 * }</pre>
 */
@API(status = STABLE, since = "0.1.0")
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Tag(Soak.TAG)
public @interface Soak {

    /** The JUnit tag carried by soak tests. */
    String TAG = "staleguard-soak";
}
