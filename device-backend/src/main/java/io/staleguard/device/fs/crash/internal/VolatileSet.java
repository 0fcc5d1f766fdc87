package io.staleguard.device.fs.crash.internal;

import io.staleguard.device.fs.crash.CrashModel;
import java.util.List;
import java.util.Map;

/**
 * The volatile items at one crash point under one model, with the fates and sizes the model fixed regardless of
 * them ({@code baseFates}: durable or lost records; {@code baseSizes}: sizes no item decides).
 */
public final class VolatileSet {

    private final CrashLog log;
    private final int point;
    private final CrashModel model;
    private final List<VolatileItem> items;
    private final Fate[] baseFates;
    private final Map<Long, Long> baseSizes;
    private final ModelRules rules;

    VolatileSet(CrashLog log, int point, CrashModel model, List<VolatileItem> items, Fate[] baseFates, Map<Long, Long> baseSizes,
                ModelRules rules) {
        this.log = log;
        this.point = point;
        this.model = model;
        this.items = List.copyOf(items);
        this.baseFates = baseFates;
        this.baseSizes = Map.copyOf(baseSizes);
        this.rules = rules;
    }

    /** The log the set was built from. */
    public CrashLog log() {
        return log;
    }

    /** The crash point. */
    public int point() {
        return point;
    }

    /** The model that built the set. */
    public CrashModel model() {
        return model;
    }

    /** The items, in log order of their first record. */
    public List<VolatileItem> items() {
        return items;
    }

    Fate[] baseFates() {
        return baseFates.clone();
    }

    Map<Long, Long> baseSizes() {
        return baseSizes;
    }

    /** The number of option vectors, saturating at {@link Long#MAX_VALUE}. */
    public long count() {
        long n = 1;
        for (VolatileItem i : items) {
            if (n > Long.MAX_VALUE / i.options()) {
                return Long.MAX_VALUE;
            }
            n *= i.options();
        }
        return n;
    }

    /** Every item at option 0: the minimal state. */
    public int[] minimal() {
        return new int[items.size()];
    }

    /** Every item kept whole (data items at {@code KEPT}, sizes and prefixes at their last option). */
    public int[] maximal() {
        int[] c = new int[items.size()];
        for (int i = 0; i < c.length; i++) {
            VolatileItem it = items.get(i);
            c[i] = it instanceof VolatileItem.DataItem ? VolatileItem.DataItem.KEPT : it.options() - 1;
        }
        return c;
    }

    /** The crash state of option vector {@code choices}. */
    public Resolution resolve(int[] choices) {
        if (choices.length != items.size()) {
            throw new IllegalArgumentException("crash point " + point + " has " + items.size() + " items, the "
                    + "option vector " + choices.length);
        }
        for (int i = 0; i < choices.length; i++) {
            if (choices[i] < 0 || choices[i] >= items.get(i).options()) {
                throw new IllegalArgumentException("option " + choices[i] + " of item " + i + " at crash point "
                        + point + " is outside [0, " + items.get(i).options() + ")");
            }
        }
        return rules.resolve(this, choices);
    }

    /** The fate of a data item's write under option {@code choice}. */
    static Fate dataFate(VolatileItem.DataItem d, int choice) {
        return switch (choice) {
            case VolatileItem.DataItem.DROPPED -> Fate.DROPPED;
            case VolatileItem.DataItem.KEPT -> Fate.KEPT;
            default -> Fate.torn(d.tornPrefixes()[choice - 2]);
        };
    }
}
