package io.staleguard.device.sim.kernel.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Zeller's ddmin over a list: finds a sub-list (order kept) on which {@code test} still holds and
 * from which no single chunk at the final granularity can be removed; 1-minimal when the budget of
 * tests is not exhausted.
 */
public final class DeltaDebugger {

    /** The result: the reduced list, the number of tests run and whether it is 1-minimal. */
    public record Result<T>(List<T> items, int tests, boolean oneMinimal) {
    }

    private DeltaDebugger() {
    }

    public static <T> Result<T> minimize(List<T> input, Predicate<List<T>> test, int maxTests) {
        List<T> current = new ArrayList<>(input);
        int tests = 0;
        int n = 2;
        while (current.size() >= 2) {
            List<List<T>> chunks = split(current, n);
            boolean reduced = false;
            for (List<T> chunk : chunks) {
                if (tests >= maxTests) {
                    return new Result<>(current, tests, false);
                }
                tests++;
                if (test.test(chunk)) {
                    current = chunk;
                    n = 2;
                    reduced = true;
                    break;
                }
            }
            if (!reduced && n > 2) {
                for (int i = 0; i < chunks.size(); i++) {
                    if (tests >= maxTests) {
                        return new Result<>(current, tests, false);
                    }
                    List<T> complement = new ArrayList<>(current.size());
                    for (int j = 0; j < chunks.size(); j++) {
                        if (j != i) {
                            complement.addAll(chunks.get(j));
                        }
                    }
                    tests++;
                    if (test.test(complement)) {
                        current = complement;
                        n = Math.max(n - 1, 2);
                        reduced = true;
                        break;
                    }
                }
            }
            if (!reduced) {
                if (n >= current.size()) {
                    break;
                }
                n = Math.min(current.size(), 2 * n);
            }
        }
        return new Result<>(current, tests, true);
    }

    private static <T> List<List<T>> split(List<T> list, int n) {
        List<List<T>> out = new ArrayList<>(n);
        int size = list.size();
        int start = 0;
        for (int i = 0; i < n; i++) {
            int end = start + (size - start) / (n - i);
            out.add(new ArrayList<>(list.subList(start, end)));
            start = end;
        }
        return out;
    }
}
