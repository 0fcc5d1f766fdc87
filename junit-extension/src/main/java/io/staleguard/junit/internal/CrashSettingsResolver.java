package io.staleguard.junit.internal;

import io.staleguard.device.Seeds;
import io.staleguard.device.fs.crash.CrashSettings;
import io.staleguard.junit.CrashOptions;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The {@link CrashSettings} of one {@code Crash}: a run-wide property, else the nearest {@link CrashOptions}
 * (parameter, method, class, enclosing classes), else 200 states under POSIX at 512 bytes.
 */
final class CrashSettingsResolver {

    private CrashSettingsResolver() {
    }

    /**
     * @param properties the run-wide overrides
     * @param parameter  the {@code Crash} parameter, or null
     * @param method     the test method
     * @param testClass  the test class
     * @param testSeed   the test's seed; the exploration's seed is derived from it
     */
    static CrashSettings resolve(CrashProperties properties, Parameter parameter, Method method, Class<?> testClass,
                                 long testSeed) {
        Optional<CrashOptions> nearest = Optional.empty();
        String where = "";
        if (parameter != null && parameter.isAnnotationPresent(CrashOptions.class)) {
            nearest = Optional.of(parameter.getAnnotation(CrashOptions.class));
            where = "parameter '" + parameter.getName() + "' of " + InjectionPoint.signature(method);
        } else if (method != null && (nearest = find(method)).isPresent()) {
            where = InjectionPoint.signature(method);
        } else {
            for (Class<?> c = testClass; c != null && nearest.isEmpty(); c = c.getEnclosingClass()) {
                nearest = find(c);
                where = c.getSimpleName();
            }
        }
        CrashSettings s = CrashSettings.defaults(Seeds.derive(testSeed, "crash"));
        if (nearest.isPresent()) {
            CrashOptions o = nearest.get();
            if (o.states() == 0) {
                throw new ExtensionConfigurationException("@CrashOptions(states = 0) on " + where + ": use a budget "
                        + "of at least 1 crash state (or leave it out for the default, " + CrashSettings.DEFAULT_BUDGET
                        + ")");
            }
            int unit = o.atomicWrite();
            if (unit < CrashSettings.MIN_ATOMIC_WRITE || unit > CrashSettings.MAX_ATOMIC_WRITE
                    || Integer.bitCount(unit) != 1) {
                throw new ExtensionConfigurationException("@CrashOptions(atomicWrite = " + unit + ") on " + where
                        + ": the atomic write unit must be a power of two from " + CrashSettings.MIN_ATOMIC_WRITE
                        + " bytes to 1 MiB");
            }
            s = s.withModel(o.model()).withAtomicWrite(unit);
            if (o.states() > 0) {
                s = s.withBudget(o.states());
            }
        }
        if (properties.states().isPresent()) {
            s = s.withBudget(properties.states().get());
        }
        if (properties.model().isPresent()) {
            s = s.withModel(properties.model().get());
        }
        if (properties.replay().isPresent()) {
            s = s.replaying(properties.replay().get());
        }
        return s;
    }

    private static Optional<CrashOptions> find(AnnotatedElement e) {
        return AnnotationSupport.findAnnotation(e, CrashOptions.class);
    }
}
