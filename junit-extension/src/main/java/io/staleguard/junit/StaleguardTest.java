package io.staleguard.junit;

import static org.apiguardian.api.API.Status.STABLE;

import io.staleguard.device.ViolationKind;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Turns on Staleguard for a test class or a test method: {@link Device @Device} fields and parameters are
 * injected with verifying devices, {@link Rewriters @Rewriters} start concurrent rewriter threads, and after each
 * test the violations of every device and rewriter decide its verdict. A test with violations fails with an
 * {@link IoConsistencyError} that ends with a line reproducing it.
 *
 * <p>Usable on classes, on methods and as a meta-annotation; inherited by subclasses.
 *
 * <pre>{@code
 * @StaleguardTest
 * class WalTest {
 *     @Test
 *     void appendsSurviveReads(@Device FileChannel log) throws IOException { ... }
 * }
 * }</pre>
 */
@API(status = STABLE, since = "0.1.0")
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(StaleguardExtension.class)
public @interface StaleguardTest {

    /**
     * The violation kinds that fail a test. The default is every stale, torn, corrupt, tag, short-transfer, crash
     * and position-race kind ({@link ViolationKind#failsByDefault()}); {@code {}} fails on none, which leaves the
     * verdict to mid-test {@link StaleguardAssertions} checks. A method-level annotation overrides the class-level one; the
     * configuration parameter {@code staleguard.failOn} (a comma-separated list) overrides both.
     */
    ViolationKind[] failOn() default {
        ViolationKind.STALE_READ, ViolationKind.TORN_READ, ViolationKind.CORRUPT_READ,
        ViolationKind.GUARD_TAG, ViolationKind.REF_TAG, ViolationKind.APP_TAG, ViolationKind.SHORT_TRANSFER,
        ViolationKind.DURABILITY, ViolationKind.CRASH_RECOVERY, ViolationKind.POSITION_RACE
    };
}
