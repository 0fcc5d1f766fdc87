package io.staleguard.junit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.staleguard.device.fs.crash.CrashModel;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * How a {@link Crash} explores: on the {@code Crash} parameter, the test method or the test class (the nearest
 * wins). The configuration parameters {@code staleguard.crashStates} and {@code staleguard.crashModel} override
 * every annotation, so one run can raise every test's budget.
 */
@API(status = EXPERIMENTAL, since = "0.2")
@Target({ElementType.PARAMETER, ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface CrashOptions {

    /** The most crash states to explore; negative means the default, 200. */
    int states() default -1;

    /** The crash model: what may persist of what was not synced. */
    CrashModel model() default CrashModel.POSIX;

    /** The atomic write unit unsynced writes tear at: a power of two from 512 bytes to 1 MiB. */
    int atomicWrite() default 512;
}
