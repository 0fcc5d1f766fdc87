package io.staleguard.junit.internal;

import io.staleguard.junit.Device;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;

/**
 * One place the extension injects into: a field or a method parameter, with its {@link Device} annotation.
 *
 * @param type        the declared type
 * @param device      the annotation
 * @param where       a readable location for messages ("parameter 'log' of WalTest#append(FileChannel)")
 * @param key         a key unique to this point within its scope, used when the device is unnamed
 * @param classScoped whether the device lives for the whole test class (static fields, {@code @BeforeAll})
 * @param crashBound  whether a {@code Crash} of the same method binds to this {@code Path}: its device stays
 *                    SIMULATED under {@code staleguard.backend}, as a crash state exists only there
 */
public record InjectionPoint(Class<?> type, Device device, String where, String key, boolean classScoped,
                             boolean crashBound) {

    /** A point no {@code Crash} binds to. */
    public InjectionPoint(Class<?> type, Device device, String where, String key, boolean classScoped) {
        this(type, device, where, key, classScoped, false);
    }

    /** The point of a field, whose {@code Crash} (if any) would be a parameter of a method of its own class. */
    public static InjectionPoint of(Field field, Device device) {
        return of(field, device, field.getDeclaringClass());
    }

    /**
     * The point of a field of {@code testClass} (declared there or in a superclass). A {@code Path} field is crash
     * bound when a method of the class takes a {@code Crash}: a {@code Crash} binds to the test's one
     * {@code @Device Path}, field or parameter, so the field's device must stay simulated for that test.
     */
    public static InjectionPoint of(Field field, Device device, Class<?> testClass) {
        boolean isStatic = Modifier.isStatic(field.getModifiers());
        return new InjectionPoint(field.getType(), device,
                (isStatic ? "static field '" : "field '") + field.getName() + "' of "
                        + field.getDeclaringClass().getSimpleName(),
                "field:" + field.getDeclaringClass().getName() + "." + field.getName(), isStatic,
                field.getType() == java.nio.file.Path.class && anyCrash(testClass));
    }

    private static boolean anyCrash(Class<?> testClass) {
        for (Class<?> c = testClass; c != null && c != Object.class; c = c.getSuperclass()) {
            for (java.lang.reflect.Method m : c.getDeclaredMethods()) {
                if (hasCrash(m)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The point of a parameter. */
    public static InjectionPoint of(Parameter parameter, int index, Device device, boolean classScoped) {
        Executable m = parameter.getDeclaringExecutable();
        return new InjectionPoint(parameter.getType(), device,
                (parameter.isNamePresent() ? "parameter '" + parameter.getName() + "'" : "parameter " + index)
                        + " of " + signature(m),
                "param:" + m.getDeclaringClass().getName() + "#" + m.getName() + "/" + index + ":"
                        + m.toGenericString().hashCode(), classScoped,
                parameter.getType() == java.nio.file.Path.class && hasCrash(m));
    }

    private static boolean hasCrash(Executable m) {
        for (Class<?> t : m.getParameterTypes()) {
            if (InjectableTypes.isCrash(t)) {
                return true;
            }
        }
        return false;
    }

    /** The device's sharing key: its name if it has one, else this point's own key. */
    public String deviceKey() {
        return device.name().isEmpty() ? key : "name:" + device.name();
    }

    static String signature(Executable m) {
        StringBuilder sb = new StringBuilder(m.getDeclaringClass().getSimpleName()).append('#').append(m.getName())
                .append('(');
        Class<?>[] types = m.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(types[i].getSimpleName());
        }
        return sb.append(')').toString();
    }
}
