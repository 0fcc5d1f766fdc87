package io.staleguard.device.sim.kernel;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * One state of the simulated Linux I/O stack: a value for every switch the kernel history argues
 * about (the threads are listed by {@link KernelPreset#references()}).
 *
 * <p>Use a {@link KernelPreset} for a state the history names, or {@link #builder()} for any mix:
 * <pre>{@code
 * KernelConfig c = KernelConfig.builder(KernelPreset.MODERN)
 *         .stablePages(StablePages.WAIT_IN_WRITE_ONLY)
 *         .name("modern-but-darrick-v2")
 *         .build();
 * }</pre>
 *
 * @param name                    a label for reports (a preset's name, or a user's)
 * @param directWriteInvalidation page-cache invalidation around synchronous direct writes (H1)
 * @param asyncWriteCompletion    completion context and invalidation of async direct writes (H2)
 * @param completionListOrder     order of the deferred-completion list (H2, Zach Brown)
 * @param stablePages             protection of pages under writeback (H3)
 * @param daxFaultLocking         DAX fault vs write serialisation (H4)
 * @param partialDirectRead       NOWAIT partial direct reads (H5)
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record KernelConfig(String name, DirectWriteInvalidation directWriteInvalidation,
                           AsyncWriteCompletion asyncWriteCompletion, CompletionListOrder completionListOrder,
                           StablePages stablePages, DaxFaultLocking daxFaultLocking,
                           PartialDirectRead partialDirectRead) {

    public KernelConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(directWriteInvalidation, "directWriteInvalidation");
        Objects.requireNonNull(asyncWriteCompletion, "asyncWriteCompletion");
        Objects.requireNonNull(completionListOrder, "completionListOrder");
        Objects.requireNonNull(stablePages, "stablePages");
        Objects.requireNonNull(daxFaultLocking, "daxFaultLocking");
        Objects.requireNonNull(partialDirectRead, "partialDirectRead");
        if (name.isBlank()) {
            throw new IllegalArgumentException("kernel config name must not be blank");
        }
    }

    /** Every fix on: the default ({@link KernelPreset#MODERN}). */
    public static KernelConfig modern() {
        return KernelPreset.MODERN.config();
    }

    /** A builder starting from {@link #modern()}. */
    public static Builder builder() {
        return new Builder(modern());
    }

    /** A builder starting from a preset. */
    public static Builder builder(KernelPreset preset) {
        return new Builder(preset.config());
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** One line listing every switch, for reports and reproduce hints. */
    public String describe() {
        return name + " [dio-invalidate=" + directWriteInvalidation + ", aio-completion=" + asyncWriteCompletion
                + ", completion-list=" + completionListOrder + ", stable-pages=" + stablePages + ", dax-fault="
                + daxFaultLocking + ", partial-dio-read=" + partialDirectRead + "]";
    }

    /** The switch keys of {@link #spec()} and {@link #parse(String)}, in order. */
    public static final java.util.List<String> SWITCH_KEYS = java.util.List.of("dio-invalidate", "aio-completion",
            "completion-list", "stable-pages", "dax-fault", "partial-dio-read");

    /** Whether the switches (not the name) equal {@code other}'s. */
    public boolean sameSwitches(KernelConfig other) {
        return directWriteInvalidation == other.directWriteInvalidation
                && asyncWriteCompletion == other.asyncWriteCompletion
                && completionListOrder == other.completionListOrder && stablePages == other.stablePages
                && daxFaultLocking == other.daxFaultLocking && partialDirectRead == other.partialDirectRead;
    }

    /**
     * A compact text form that {@link #parse(String)} reads back: the preset with the same switches
     * ({@code "DIO_NO_POST_INVALIDATE_2007"}), or {@code "MODERN+stable-pages=WAIT_IN_WRITE_ONLY,..."}
     * listing the switches that differ from MODERN.
     */
    public String spec() {
        for (KernelPreset p : KernelPreset.values()) {
            if (sameSwitches(p.config())) {
                return p.name();
            }
        }
        KernelConfig m = modern();
        java.util.List<String> diffs = new java.util.ArrayList<>();
        Object[] mine = values();
        Object[] base = m.values();
        for (int i = 0; i < mine.length; i++) {
            if (mine[i] != base[i]) {
                diffs.add(SWITCH_KEYS.get(i) + "=" + mine[i]);
            }
        }
        return "MODERN+" + String.join(",", diffs);
    }

    private Object[] values() {
        return new Object[] {directWriteInvalidation, asyncWriteCompletion, completionListOrder, stablePages,
            daxFaultLocking, partialDirectRead};
    }

    /**
     * Parses {@link #spec()}'s form: a preset name, optionally followed by {@code +key=VALUE,...} with the
     * keys of {@link #SWITCH_KEYS}.
     *
     * @throws IllegalArgumentException naming the bad preset, key or value and listing the valid ones
     */
    public static KernelConfig parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("kernel config spec is empty (expected a preset name such as MODERN, "
                    + "optionally followed by +key=VALUE,... with keys " + SWITCH_KEYS + ")");
        }
        String text = spec.trim();
        int plus = text.indexOf('+');
        KernelPreset preset = KernelPreset.named(plus < 0 ? text : text.substring(0, plus));
        if (plus < 0) {
            return preset.config();
        }
        Builder b = builder(preset).name(text);
        for (String part : text.substring(plus + 1).split(",")) {
            String[] kv = part.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("switch '" + part + "' in kernel config '" + spec
                        + "' is not key=VALUE (keys " + SWITCH_KEYS + ")");
            }
            String key = kv[0].trim().toLowerCase(java.util.Locale.ROOT);
            String value = kv[1].trim();
            switch (key) {
                case "dio-invalidate" -> b.directWriteInvalidation(constant(DirectWriteInvalidation.class, key, value));
                case "aio-completion" -> b.asyncWriteCompletion(constant(AsyncWriteCompletion.class, key, value));
                case "completion-list" -> b.completionListOrder(constant(CompletionListOrder.class, key, value));
                case "stable-pages" -> b.stablePages(constant(StablePages.class, key, value));
                case "dax-fault" -> b.daxFaultLocking(constant(DaxFaultLocking.class, key, value));
                case "partial-dio-read" -> b.partialDirectRead(constant(PartialDirectRead.class, key, value));
                default -> throw new IllegalArgumentException("unknown switch '" + kv[0] + "' in kernel config '"
                        + spec + "' (expected one of " + SWITCH_KEYS + ")");
            }
        }
        return b.build();
    }

    private static <E extends Enum<E>> E constant(Class<E> type, String key, String value) {
        String v = value.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(v)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown value '" + value + "' for switch " + key + " (expected one of "
                + java.util.Arrays.toString(type.getEnumConstants()) + ")");
    }

    /** Builds {@link KernelConfig}s; every setter names the switch it sets. */
    public static final class Builder {
        private String name;
        private DirectWriteInvalidation directWriteInvalidation;
        private AsyncWriteCompletion asyncWriteCompletion;
        private CompletionListOrder completionListOrder;
        private StablePages stablePages;
        private DaxFaultLocking daxFaultLocking;
        private PartialDirectRead partialDirectRead;
        private boolean named;

        private Builder(KernelConfig from) {
            name = from.name;
            directWriteInvalidation = from.directWriteInvalidation;
            asyncWriteCompletion = from.asyncWriteCompletion;
            completionListOrder = from.completionListOrder;
            stablePages = from.stablePages;
            daxFaultLocking = from.daxFaultLocking;
            partialDirectRead = from.partialDirectRead;
        }

        /** The label reported for this configuration; defaults to "custom" once a switch changed. */
        public Builder name(String value) {
            this.name = Objects.requireNonNull(value, "name");
            this.named = true;
            return this;
        }

        public Builder directWriteInvalidation(DirectWriteInvalidation value) {
            this.directWriteInvalidation = changed(value);
            return this;
        }

        public Builder asyncWriteCompletion(AsyncWriteCompletion value) {
            this.asyncWriteCompletion = changed(value);
            return this;
        }

        public Builder completionListOrder(CompletionListOrder value) {
            this.completionListOrder = changed(value);
            return this;
        }

        public Builder stablePages(StablePages value) {
            this.stablePages = changed(value);
            return this;
        }

        public Builder daxFaultLocking(DaxFaultLocking value) {
            this.daxFaultLocking = changed(value);
            return this;
        }

        public Builder partialDirectRead(PartialDirectRead value) {
            this.partialDirectRead = changed(value);
            return this;
        }

        private <T> T changed(T value) {
            Objects.requireNonNull(value, "switch value");
            if (!named) {
                name = "custom";
            }
            return value;
        }

        public KernelConfig build() {
            return new KernelConfig(name, directWriteInvalidation, asyncWriteCompletion, completionListOrder,
                    stablePages, daxFaultLocking, partialDirectRead);
        }
    }
}
