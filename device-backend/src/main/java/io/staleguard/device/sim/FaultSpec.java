package io.staleguard.device.sim;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * Seeded fault rates in a short text, as {@code @Device(faults = "…")}, the {@code staleguard.faults}
 * property and {@link SimulatedDevice.Builder#faults(String)} take them:
 *
 * <pre>
 * spec  := "none" | item ("," item)*            whitespace ignored
 * item  := kind ["=" rate | "=" size] ["@" scope]
 * kind  := fsync-error | read-error | write-error | partial-write | enospc | lost-write | misdirect | bitrot
 * rate  := 0.001 | 1e-3 | 1/1000 | 0.1%         probability per eligible operation, in [0, 1]; default 1
 * size  := 64MiB | 4096                         enospc only (and required): the device's remaining write budget
 * scope := N                                    exactly the N-th eligible operation (1-based); rate ignored
 *        | op:A-B                               eligible operations A..B only
 *        | lba:A-B                              operations touching those logical blocks
 *        | file:GLOB                            operations on files matching the glob (a simulated filesystem)
 * </pre>
 *
 * Eligible operations: fsyncs and device flushes for {@code fsync-error}; reads for {@code read-error} (the
 * read's first block turns bad until rewritten) and {@code bitrot} (one seeded bit of one block the read covers
 * flips before the read); writes for the rest. Examples:
 * <ul>
 *   <li>{@code fsync-error@1}: the first fsync fails (PostgreSQL's fsyncgate);</li>
 *   <li>{@code lost-write=0.001, misdirect=0.0005}: rare silent write faults, caught by the oracle and PI;</li>
 *   <li>{@code read-error=0.01@file:/test/seg-*.log}: latent sector errors in segments only;</li>
 *   <li>{@code partial-write=1%, enospc=32MiB}: torn writes, and a device that fills up.</li>
 * </ul>
 * Whether a rate fires on an operation is a function of the device's seed and the operation's sequence number,
 * so the same seed and spec fire the same faults. {@link #toString()} is canonical (items sorted by kind,
 * numbers normalized): what reports and reproduce lines print, and {@code parse(spec.toString())} equals
 * {@code spec}. Immutable.
 */
@API(status = EXPERIMENTAL, since = "0.2")
public final class FaultSpec {

    /** No faults. */
    public static final FaultSpec NONE = new FaultSpec(List.of());

    private final List<Item> items;

    private FaultSpec(List<Item> items) {
        this.items = List.copyOf(items);
    }

    /**
     * Parses a spec; null, blank and {@code "none"} give {@link #NONE}.
     *
     * @throws IllegalArgumentException naming the bad token ({@code "unknown fault 'lost-wirte'; known: …"},
     *                                  {@code "rate 1.5 of lost-write is not in [0, 1]"},
     *                                  {@code "scope 'lba:9-3' is empty"}) and the spec
     */
    public static FaultSpec parse(String text) {
        if (text == null || text.isBlank() || text.trim().equalsIgnoreCase("none")) {
            return NONE;
        }
        List<Item> parsed = new ArrayList<>();
        for (String raw : text.split(",", -1)) {
            String token = raw.replaceAll("\\s+", "");
            try {
                if (token.isEmpty()) {
                    throw new IllegalArgumentException("empty item");
                }
                if (token.equalsIgnoreCase("none")) {
                    throw new IllegalArgumentException("'none' cannot be combined with faults");
                }
                parsed.add(Item.parse(token));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage() + " (in fault spec \"" + text.trim() + "\")", e);
            }
        }
        parsed.sort(Comparator.comparing(Item::kind).thenComparing(Item::toString));
        return new FaultSpec(parsed);
    }

    /** The items, sorted by kind. */
    public List<Item> items() {
        return items;
    }

    /** Whether this spec injects nothing. */
    public boolean isNone() {
        return items.isEmpty();
    }

    /** The canonical text: {@code "none"}, or the items sorted by kind, joined by {@code ","}. */
    @Override
    public String toString() {
        return items.isEmpty() ? "none" : items.stream().map(Item::toString).collect(Collectors.joining(","));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FaultSpec f && f.items.equals(items);
    }

    @Override
    public int hashCode() {
        return items.hashCode();
    }

    /**
     * Which operations an item applies to.
     *
     * @param type what the scope selects
     * @param from the first eligible operation or block ({@link ScopeType#NTH}: the one), or 0
     * @param to   the last eligible operation or block (inclusive), or 0
     * @param glob the file glob of {@link ScopeType#FILE}, else null
     */
    @API(status = EXPERIMENTAL, since = "0.2")
    public record Scope(ScopeType type, long from, long to, String glob) {

        /** Every eligible operation. */
        public static final Scope ALL = new Scope(ScopeType.ALL, 0, 0, null);

        /** Checks the scope; each error names the bad value. */
        public Scope {
            Objects.requireNonNull(type, "type");
            if ((type == ScopeType.FILE) != (glob != null)) {
                throw new IllegalArgumentException("a file glob goes with a file scope only, was " + type + " " + glob);
            }
        }

        static Scope parse(String text) {
            String t = text.toLowerCase(Locale.ROOT);
            if (t.startsWith("file:")) {
                String glob = text.substring(5);
                if (glob.isEmpty() || !glob.startsWith("/")) {
                    throw new IllegalArgumentException("scope 'file:" + glob + "' needs an absolute glob such as "
                            + "file:/test/seg-*.log");
                }
                return new Scope(ScopeType.FILE, 0, 0, glob);
            }
            if (t.startsWith("op:") || t.startsWith("lba:")) {
                boolean ops = t.startsWith("op:");
                String range = t.substring(ops ? 3 : 4);
                int dash = range.indexOf('-');
                if (dash <= 0 || dash == range.length() - 1) {
                    throw new IllegalArgumentException("scope '" + text + "' is not " + (ops ? "op" : "lba") + ":A-B");
                }
                long a = number(range.substring(0, dash), text);
                long b = number(range.substring(dash + 1), text);
                if (b < a) {
                    throw new IllegalArgumentException("scope '" + text + "' is empty");
                }
                if (ops && a < 1) {
                    throw new IllegalArgumentException("scope '" + text + "' counts operations from 1");
                }
                return new Scope(ops ? ScopeType.OPS : ScopeType.LBAS, a, b, null);
            }
            if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
                long n = number(t, text);
                if (n < 1) {
                    throw new IllegalArgumentException("scope '" + text + "' counts operations from 1");
                }
                return new Scope(ScopeType.NTH, n, n, null);
            }
            throw new IllegalArgumentException("unknown scope '" + text + "'; known: N, op:A-B, lba:A-B, file:GLOB");
        }

        private static long number(String s, String scope) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("scope '" + scope + "' has no number at '" + s + "'", e);
            }
        }

        @Override
        public String toString() {
            return switch (type) {
                case ALL -> "";
                case NTH -> Long.toString(from);
                case OPS -> "op:" + from + "-" + to;
                case LBAS -> "lba:" + from + "-" + to;
                case FILE -> "file:" + glob;
            };
        }
    }

    /** What a {@link Scope} selects. */
    @API(status = EXPERIMENTAL, since = "0.2")
    public enum ScopeType {
        /** Every eligible operation. */
        ALL,
        /** Exactly the N-th eligible operation. */
        NTH,
        /** Eligible operations A..B (counted from 1). */
        OPS,
        /** Operations touching logical blocks A..B. */
        LBAS,
        /** Operations on files whose path matches a glob. */
        FILE
    }

    /**
     * One item of a spec.
     *
     * @param kind  the fault
     * @param rate  probability per eligible operation in [0, 1] (1 under an {@link ScopeType#NTH} scope)
     * @param bytes {@link FaultKind#NO_SPACE}: the write budget in bytes; else 0
     * @param scope which operations it applies to
     */
    @API(status = EXPERIMENTAL, since = "0.2")
    public record Item(FaultKind kind, double rate, long bytes, Scope scope) {

        /** Checks the item; each error names the bad value. */
        public Item {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(scope, "scope");
            if (!(rate >= 0 && rate <= 1)) {
                throw new IllegalArgumentException("rate " + rate + " of " + kind.inWords() + " is not in [0, 1]");
            }
            if (kind == FaultKind.NO_SPACE ? bytes < 0 : bytes != 0) {
                throw new IllegalArgumentException("a byte budget goes with enospc only, was " + bytes + " for "
                        + kind.inWords());
            }
        }

        static Item parse(String token) {
            String head = token;
            Scope scope = Scope.ALL;
            int at = token.indexOf('@');
            if (at >= 0) {
                head = token.substring(0, at);
                scope = Scope.parse(token.substring(at + 1));
            }
            String value = null;
            int eq = head.indexOf('=');
            if (eq >= 0) {
                value = head.substring(eq + 1);
                head = head.substring(0, eq);
            }
            FaultKind kind = FaultKind.parse(head);
            if (kind == FaultKind.NO_SPACE) {
                if (value == null) {
                    throw new IllegalArgumentException("enospc needs a size: enospc=64MiB");
                }
                return new Item(kind, 1, size(value), scope);
            }
            double rate = value == null || scope.type() == ScopeType.NTH ? 1 : rate(value, kind);
            return new Item(kind, rate, 0, scope);
        }

        private static double rate(String v, FaultKind kind) {
            try {
                double r;
                if (v.endsWith("%")) {
                    r = Double.parseDouble(v.substring(0, v.length() - 1)) / 100;
                } else if (v.contains("/")) {
                    int slash = v.indexOf('/');
                    r = Double.parseDouble(v.substring(0, slash)) / Double.parseDouble(v.substring(slash + 1));
                } else {
                    r = Double.parseDouble(v);
                }
                if (!(r >= 0 && r <= 1)) {
                    throw new IllegalArgumentException("rate " + v + " of " + kind.inWords() + " is not in [0, 1]");
                }
                return r;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("rate '" + v + "' of " + kind.inWords()
                        + " is not a probability (0.001, 1e-3, 1/1000, 0.1%)", e);
            }
        }

        private static long size(String v) {
            String t = v.toLowerCase(Locale.ROOT);
            long unit = 1;
            String[][] units = {{"kib", "1024"}, {"mib", "1048576"}, {"gib", "1073741824"}, {"k", "1024"},
                    {"m", "1048576"}, {"g", "1073741824"}, {"b", "1"}};
            for (String[] u : units) {
                if (t.endsWith(u[0])) {
                    unit = Long.parseLong(u[1]);
                    t = t.substring(0, t.length() - u[0].length());
                    break;
                }
            }
            try {
                long n = Long.parseLong(t);
                if (n < 0) {
                    throw new NumberFormatException();
                }
                return Math.multiplyExact(n, unit);
            } catch (NumberFormatException | ArithmeticException e) {
                throw new IllegalArgumentException("size '" + v + "' of enospc is not a byte count (4096, 64MiB)", e);
            }
        }

        /** The canonical text of the item. */
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder(kind.inWords());
            if (kind == FaultKind.NO_SPACE) {
                b.append('=').append(sizeText(bytes));
            } else if (rate != 1 && scope.type() != ScopeType.NTH) {
                b.append('=').append(BigDecimal.valueOf(rate).stripTrailingZeros().toPlainString());
            }
            if (scope.type() != ScopeType.ALL) {
                b.append('@').append(scope);
            }
            return b.toString();
        }

        private static String sizeText(long n) {
            String[] names = {"GiB", "MiB", "KiB"};
            long[] sizes = {1L << 30, 1L << 20, 1L << 10};
            for (int i = 0; i < names.length; i++) {
                if (n >= sizes[i] && n % sizes[i] == 0) {
                    return (n / sizes[i]) + names[i];
                }
            }
            return Long.toString(n);
        }
    }
}
