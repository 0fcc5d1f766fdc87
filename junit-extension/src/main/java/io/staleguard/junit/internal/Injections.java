package io.staleguard.junit.internal;

import io.staleguard.junit.Device;
import io.staleguard.junit.Rewriters;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;

/** Finds the injection points of a test class and method, refusing the ones that cannot work. */
public final class Injections {

    private Injections() {
    }

    /** {@code @Device} fields, static or not, of {@code testClass} and its superclasses. */
    public static List<Field> deviceFields(Class<?> testClass, boolean statics) {
        List<Field> out = new ArrayList<>();
        for (Field f : AnnotationSupport.findAnnotatedFields(testClass, Device.class,
                f -> Modifier.isStatic(f.getModifiers()) == statics)) {
            if (Modifier.isFinal(f.getModifiers())) {
                throw new ExtensionConfigurationException("@Device field '" + f.getName() + "' of "
                        + f.getDeclaringClass().getSimpleName() + " is final; the extension must assign it, so "
                        + "remove 'final'");
            }
            out.add(f);
        }
        return out;
    }

    /** {@code @Rewriters} instance fields; static ones are refused (rewriters live per test). */
    public static List<Field> rewriterFields(Class<?> testClass) {
        List<Field> out = new ArrayList<>();
        for (Field f : AnnotationSupport.findAnnotatedFields(testClass, Rewriters.class, f -> true)) {
            if (Modifier.isStatic(f.getModifiers())) {
                throw new ExtensionConfigurationException("@Rewriters field '" + f.getName() + "' of "
                        + f.getDeclaringClass().getSimpleName() + " is static; rewriters live for one test, so use "
                        + "an instance field or a parameter");
            }
            if (Modifier.isFinal(f.getModifiers())) {
                throw new ExtensionConfigurationException("@Rewriters field '" + f.getName() + "' of "
                        + f.getDeclaringClass().getSimpleName() + " is final; the extension must assign it, so "
                        + "remove 'final'");
            }
            checkRewritersType(f.getType(), "field '" + f.getName() + "' of " + f.getDeclaringClass()
                    .getSimpleName());
            out.add(f);
        }
        return out;
    }

    /** The points of {@code @BeforeAll}/{@code @AfterAll} parameters. */
    public static List<InjectionPoint> classMethodPoints(Class<?> testClass) {
        List<InjectionPoint> out = new ArrayList<>();
        for (Class<? extends java.lang.annotation.Annotation> a : List.of(BeforeAll.class, AfterAll.class)) {
            for (Method m : AnnotationSupport.findAnnotatedMethods(testClass, a, HierarchyTraversalMode.TOP_DOWN)) {
                out.addAll(parameterPoints(m, true));
            }
        }
        return out;
    }

    /** The points of {@code @BeforeEach}/{@code @AfterEach} parameters and of the test method. */
    public static List<InjectionPoint> testMethodPoints(Class<?> testClass, Method testMethod) {
        List<InjectionPoint> out = new ArrayList<>();
        for (Class<? extends java.lang.annotation.Annotation> a : List.of(BeforeEach.class, AfterEach.class)) {
            for (Method m : AnnotationSupport.findAnnotatedMethods(testClass, a, HierarchyTraversalMode.TOP_DOWN)) {
                out.addAll(parameterPoints(m, false));
            }
        }
        out.addAll(parameterPoints(testMethod, false));
        return out;
    }

    /** The {@code @Device} parameters of one method. */
    public static List<InjectionPoint> parameterPoints(Executable m, boolean classScoped) {
        List<InjectionPoint> out = new ArrayList<>();
        Parameter[] ps = m.getParameters();
        for (int i = 0; i < ps.length; i++) {
            Device d = ps[i].getAnnotation(Device.class);
            if (d != null && InjectableTypes.isCrash(ps[i].getType())) {
                // On a Crash, @Device only names the device it explores; the Path's point makes the device.
                checkCrashDevice(d, ps[i], i, m);
            } else if (d != null) {
                out.add(InjectionPoint.of(ps[i], i, d, classScoped));
            }
            if (ps[i].isAnnotationPresent(Rewriters.class)) {
                checkRewritersType(ps[i].getType(), "parameter '" + ps[i].getName() + "' of "
                        + InjectionPoint.signature(m));
            }
        }
        return out;
    }

    private static void checkCrashDevice(Device d, Parameter p, int index, Executable m) {
        List<String> set = new ArrayList<>();
        for (Method a : Device.class.getDeclaredMethods()) {
            if (a.getParameterCount() != 0 || a.getName().equals("name") || a.getDefaultValue() == null) {
                continue;
            }
            try {
                if (!java.util.Objects.deepEquals(a.invoke(d), a.getDefaultValue())) {
                    set.add(a.getName());
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        String where = (p.isNamePresent() ? "parameter '" + p.getName() + "'" : "parameter " + index) + " of "
                + InjectionPoint.signature(m);
        if (!set.isEmpty() || d.name().isEmpty()) {
            throw new ExtensionConfigurationException("@Device on a Crash only names the device it explores: use "
                    + "@Device(name = \"…\") on both the Crash and its Path and put every other attribute on the "
                    + "Path's @Device" + (set.isEmpty() ? "" : "; " + where + " sets " + set)
                    + (d.name().isEmpty() ? "; " + where + " names no device" : ""));
        }
    }

    static void checkRewritersType(Class<?> type, String where) {
        if (type != io.staleguard.junit.RewriterThreads.class && type != Rewriters.class) {
            throw new ExtensionConfigurationException("@Rewriters cannot inject a " + type.getName() + " into "
                    + where + "; use the type RewriterThreads (or Rewriters)");
        }
    }
}
