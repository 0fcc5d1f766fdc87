package io.staleguard.junit.internal;

/**
 * A small streaming JSON writer. The extension lands on users' test classpaths, so it writes its reports itself
 * instead of pulling a JSON library (and its version conflicts) into every user's tests. Output is pretty-printed
 * with two-space indentation; strings are escaped per RFC 8259.
 */
public final class JsonWriter {

    private final StringBuilder out = new StringBuilder(1024);
    private int depth;
    private boolean first = true;
    private boolean afterName;

    /** Starts an object (as a value, or as the top level). */
    public JsonWriter beginObject() {
        return begin("{");
    }

    /** Ends the current object. */
    public JsonWriter endObject() {
        return end('}');
    }

    /** Starts an array. */
    public JsonWriter beginArray() {
        return begin("[");
    }

    /** Ends the current array. */
    public JsonWriter endArray() {
        return end(']');
    }

    /** Writes a member name; the next call writes its value. */
    public JsonWriter name(String name) {
        separate();
        quote(name);
        out.append(": ");
        afterName = true;
        return this;
    }

    /** Writes a string value (null as JSON null). */
    public JsonWriter value(String s) {
        if (s == null) {
            return raw(null);
        }
        separate();
        quote(s);
        return this;
    }

    /** Writes a number. */
    public JsonWriter value(long n) {
        return raw(Long.toString(n));
    }

    /** Writes a boolean. */
    public JsonWriter value(boolean b) {
        return raw(Boolean.toString(b));
    }

    /** Writes a member with a string value. */
    public JsonWriter field(String name, String value) {
        return name(name).value(value);
    }

    /** Writes a member with a number value. */
    public JsonWriter field(String name, long value) {
        return name(name).value(value);
    }

    /** The document written so far. */
    @Override
    public String toString() {
        return out.toString();
    }

    private JsonWriter raw(String text) {
        separate();
        out.append(text == null ? "null" : text);
        return this;
    }

    private JsonWriter begin(String bracket) {
        raw(bracket);
        depth++;
        first = true;
        return this;
    }

    private JsonWriter end(char c) {
        depth--;
        if (!first) {
            newline();
        }
        out.append(c);
        first = false;
        return this;
    }

    private void separate() {
        if (afterName) {
            afterName = false;
            return;
        }
        if (depth > 0) {
            if (!first) {
                out.append(',');
            }
            newline();
        }
        first = false;
    }

    private void newline() {
        out.append('\n');
        for (int i = 0; i < depth; i++) {
            out.append("  ");
        }
    }

    private void quote(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
