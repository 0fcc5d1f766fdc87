package io.staleguard.device.architecture;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apiguardian.api.API;
import org.apiguardian.api.API.Status;

/**
 * The {@code @API} marks of a module, the way JUnit marks its own types: every public top-level type of a
 * non-internal package says how stable it is, and nothing in an {@code internal} package promises stability.
 * Read with {@code java.lang.reflect}, which sees the mark only because apiguardian's {@code @API} is retained
 * at run time ({@link #retention()}).
 */
public final class ApiMarkers {

    /** The statuses that promise users something; an internal type may carry neither. */
    private static final Set<Status> PROMISES = EnumSet.of(Status.STABLE, Status.EXPERIMENTAL);

    private ApiMarkers() {
    }

    /** How long {@code @API} is retained: unless it is {@code RUNTIME}, reflection sees no mark at all. */
    public static RetentionPolicy retention() {
        Retention retention = API.class.getAnnotation(Retention.class);
        return retention == null ? RetentionPolicy.CLASS : retention.value();
    }

    /**
     * The public top-level types of non-internal packages that carry no {@code @API}, as their names with
     * {@code io.staleguard.} cut off, each mapped to its full name. Nested types take their owner's status.
     */
    public static Map<String, String> unmarked(Collection<Class<?>> classes) {
        Map<String, String> found = new TreeMap<>();
        for (Class<?> type : classes) {
            if (isPublicTopLevel(type) && !InternalTypeLeaks.isInternal(type) && !type.isAnnotationPresent(API.class)) {
                found.put(PackageCycles.shortName(type.getName()), type.getName());
            }
        }
        return found;
    }

    /**
     * The types of {@code internal} packages marked {@code STABLE} or {@code EXPERIMENTAL}, on the type itself
     * or on its package, as their short names, each mapped to the mark that makes the promise.
     */
    public static Map<String, String> promisingInternals(Collection<Class<?>> classes) {
        Map<String, String> found = new TreeMap<>();
        for (Class<?> type : classes) {
            if (!InternalTypeLeaks.isInternal(type)) {
                continue;
            }
            API own = type.getAnnotation(API.class);
            API pkg = type.getPackage() == null ? null : type.getPackage().getAnnotation(API.class);
            if (own != null && PROMISES.contains(own.status())) {
                found.put(PackageCycles.shortName(type.getName()), type.getName() + ": @API(status = " + own.status() + ")");
            } else if (pkg != null && PROMISES.contains(pkg.status())) {
                found.put(PackageCycles.shortName(type.getName()),
                        type.getPackageName() + " package-info: @API(status = " + pkg.status() + ")");
            }
        }
        return found;
    }

    private static boolean isPublicTopLevel(Class<?> type) {
        return type.getEnclosingClass() == null && !type.isSynthetic() && Modifier.isPublic(type.getModifiers());
    }
}
