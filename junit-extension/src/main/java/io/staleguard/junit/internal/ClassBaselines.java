package io.staleguard.junit.internal;

import java.util.IdentityHashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;

/** What each class device had found when the last test of the class ended, to attribute later findings. */
final class ClassBaselines {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(ClassBaselines.class);

    private final Map<ManagedDevice, ManagedDevice.Baseline> last = new IdentityHashMap<>();

    /** The baselines of a test class, made on first use. */
    static ClassBaselines of(ExtensionContext classContext) {
        return classContext.getStore(NS).getOrComputeIfAbsent(ClassBaselines.class, k -> new ClassBaselines(),
                ClassBaselines.class);
    }

    /** The baselines of a test class, or null when none of its tests has ended. */
    static ClassBaselines find(ExtensionContext classContext) {
        return classContext.getStore(NS).get(ClassBaselines.class, ClassBaselines.class);
    }

    /** Records what each class device of {@code test} has found by now. */
    synchronized void update(TestRun test) {
        for (ManagedDevice d : test.classBaselines.keySet()) {
            last.put(d, d.baseline());
        }
    }

    /** What {@code d} had found when the last test ended, or null. */
    synchronized ManagedDevice.Baseline get(ManagedDevice d) {
        return last.get(d);
    }
}
