package io.staleguard.device.architecture;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.BitSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The classes one class file refers to, read from its constant pool: every class constant, and every class named
 * in a descriptor or generic signature (which is where field, parameter, annotation and type-argument types live).
 * This is what {@code jdeps -verbose:class} reports, without a tool or {@code jdk.internal} API; constants the
 * compiler inlined leave no trace in either.
 */
public final class ClassFileReferences {

    /** {@code Lname;} or {@code Lname<} inside a descriptor or signature. */
    private static final Pattern DESCRIPTOR_CLASS = Pattern.compile("L([\\p{javaJavaIdentifierPart}/$]+)[;<]");

    private ClassFileReferences() {
    }

    /** Binary names (dotted, {@code $} for nesting) of the classes the class file refers to, itself excluded. */
    public static Set<String> of(byte[] classFile) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile))) {
            if (in.readInt() != 0xCAFEBABE) {
                throw new IllegalArgumentException("not a class file");
            }
            in.readUnsignedShort();
            in.readUnsignedShort();
            int count = in.readUnsignedShort();
            String[] utf8 = new String[count];
            int[] classNameIndex = new int[count];
            // Utf8 entries that are string literals: their text is data, not a type reference.
            BitSet literals = new BitSet(count);
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> utf8[i] = in.readUTF();
                    case 7 -> classNameIndex[i] = in.readUnsignedShort();
                    case 8 -> literals.set(in.readUnsignedShort());
                    case 16, 19, 20 -> in.readUnsignedShort();
                    case 15 -> in.skipBytes(3);
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
                    case 5, 6 -> {
                        in.skipBytes(8);
                        i++;
                    }
                    default -> throw new IllegalArgumentException("unknown constant-pool tag " + tag + " at " + i);
                }
            }
            in.readUnsignedShort();
            String self = utf8[classNameIndex[in.readUnsignedShort()]];
            Set<String> names = new TreeSet<>();
            BitSet classNames = new BitSet(count);
            for (int i = 1; i < count; i++) {
                if (classNameIndex[i] != 0) {
                    classNames.set(classNameIndex[i]);
                    addInternalName(names, utf8[classNameIndex[i]]);
                }
            }
            for (int i = 1; i < count; i++) {
                if (utf8[i] != null && !literals.get(i) && !classNames.get(i)) {
                    Matcher m = DESCRIPTOR_CLASS.matcher(utf8[i]);
                    while (m.find()) {
                        names.add(m.group(1).replace('/', '.'));
                    }
                }
            }
            names.remove(self.replace('/', '.'));
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A class constant holds an internal name, or an array descriptor for array types. */
    private static void addInternalName(Set<String> names, String name) {
        if (name.startsWith("[")) {
            Matcher m = DESCRIPTOR_CLASS.matcher(name);
            while (m.find()) {
                names.add(m.group(1).replace('/', '.'));
            }
        } else {
            names.add(name.replace('/', '.'));
        }
    }
}
