package io.staleguard.device.architecture;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * Internal types named by public API: every public or protected member signature of a public type outside an
 * {@code internal} package (fields, methods, constructors, the superclass, interfaces and type parameters) that
 * names a type from an {@code internal} package. Read with {@code java.lang.reflect}, so generic arguments count.
 */
public final class InternalTypeLeaks {

    private final Map<String, String> found = new TreeMap<>();

    private InternalTypeLeaks() {
    }

    /**
     * The leaks of the given classes, as {@code "Type#member -> internal.Type"} (names with {@code io.staleguard.}
     * cut off; {@code extends}, {@code implements}, {@code <T>} and {@code <init>} stand for the superclass, the
     * interfaces, the type parameters and constructors), each mapped to the signature that shows it.
     */
    public static Map<String, String> of(Collection<Class<?>> classes) {
        InternalTypeLeaks leaks = new InternalTypeLeaks();
        classes.stream().filter(InternalTypeLeaks::isApi).forEach(leaks::check);
        return leaks.found;
    }

    /** Loads the classes under a class-output directory, without initialising them, and returns their leaks. */
    public static Map<String, String> ofClasses(java.nio.file.Path classesDir, ClassLoader loader) {
        return of(ProjectLayout.loadClasses(classesDir, loader));
    }

    static boolean isInternal(Class<?> type) {
        String pkg = type.getPackageName();
        return pkg.endsWith(".internal") || pkg.contains(".internal.");
    }

    /** A public type of a non-internal package, reachable from outside it: every enclosing type is too. */
    static boolean isApi(Class<?> type) {
        if (isInternal(type) || type.isSynthetic() || type.isAnonymousClass() || type.isLocalClass()) {
            return false;
        }
        for (Class<?> c = type; c != null; c = c.getDeclaringClass()) {
            int modifiers = c.getModifiers();
            boolean reachable = Modifier.isPublic(modifiers) || (c.getDeclaringClass() != null && Modifier.isProtected(modifiers));
            if (!reachable) {
                return false;
            }
        }
        return true;
    }

    private static boolean visible(Member member) {
        return !member.isSynthetic() && (Modifier.isPublic(member.getModifiers()) || Modifier.isProtected(member.getModifiers()));
    }

    private void check(Class<?> type) {
        if (type.getGenericSuperclass() != null) {
            scan(type, "extends", type.getGenericSuperclass());
        }
        for (Type i : type.getGenericInterfaces()) {
            scan(type, "implements", i);
        }
        typeParameters(type, "<T>", type.getTypeParameters());
        for (Field f : type.getDeclaredFields()) {
            if (visible(f)) {
                scan(type, f.getName(), f.getGenericType());
            }
        }
        for (Constructor<?> c : type.getDeclaredConstructors()) {
            if (visible(c)) {
                executable(type, "<init>", c);
            }
        }
        for (Method m : type.getDeclaredMethods()) {
            if (visible(m) && !m.isBridge()) {
                scan(type, m.getName(), m.getGenericReturnType());
                executable(type, m.getName(), m);
            }
        }
    }

    private void executable(Class<?> owner, String member, Executable e) {
        typeParameters(owner, member, e.getTypeParameters());
        for (Type p : e.getGenericParameterTypes()) {
            scan(owner, member, p);
        }
        for (Type x : e.getGenericExceptionTypes()) {
            scan(owner, member, x);
        }
    }

    private void typeParameters(Class<?> owner, String member, TypeVariable<?>[] variables) {
        for (TypeVariable<?> v : variables) {
            for (Type bound : v.getBounds()) {
                scan(owner, member, bound);
            }
        }
    }

    /** Type variables are not followed: their bounds are checked where they are declared. */
    private void scan(Class<?> owner, String member, Type type) {
        if (type instanceof Class<?> c) {
            while (c.isArray()) {
                c = c.getComponentType();
            }
            if (isInternal(c)) {
                String key = PackageCycles.shortName(owner.getName()) + "#" + member + " -> " + PackageCycles.shortName(c.getName());
                found.putIfAbsent(key, owner.getName() + "#" + member + ": " + type.getTypeName());
            }
        } else if (type instanceof ParameterizedType p) {
            scan(owner, member, p.getRawType());
            if (p.getOwnerType() != null) {
                scan(owner, member, p.getOwnerType());
            }
            for (Type a : p.getActualTypeArguments()) {
                scan(owner, member, a);
            }
        } else if (type instanceof WildcardType w) {
            for (Type b : w.getUpperBounds()) {
                scan(owner, member, b);
            }
            for (Type b : w.getLowerBounds()) {
                scan(owner, member, b);
            }
        } else if (type instanceof GenericArrayType a) {
            scan(owner, member, a.getGenericComponentType());
        }
    }
}
