package io.staleguard.junit.internal;

import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.junit.IoConsistencyError;
import io.staleguard.junit.StaleguardTest;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/** Collects what a test's devices and rewriters found and turns it into an outcome and, if needed, an error. */
final class Verdicts {

    private Verdicts() {
    }

    /** The kinds that fail this test: the configuration, else the method's annotation, else the class's. */
    static Set<ViolationKind> failOn(ExtensionContext context, RunContext run) {
        if (run.settings().failOn().isPresent()) {
            return run.settings().failOn().get();
        }
        Optional<StaleguardTest> a = context.getTestMethod()
                .flatMap(m -> AnnotationSupport.findAnnotation(m, StaleguardTest.class));
        for (Optional<Class<?>> c = context.getTestClass(); a.isEmpty() && c.isPresent();
             c = Optional.ofNullable(c.get().getEnclosingClass())) {
            a = AnnotationSupport.findAnnotation(c.get(), StaleguardTest.class);
        }
        Set<ViolationKind> kinds = EnumSet.noneOf(ViolationKind.class);
        if (a.isPresent()) {
            kinds.addAll(List.of(a.get().failOn()));
        } else {
            for (ViolationKind k : ViolationKind.values()) {
                if (k.failsByDefault()) {
                    kinds.add(k);
                }
            }
        }
        return kinds;
    }

    /** Finishes the test's devices and collects everything found during the test. */
    static List<SourceFindings> collect(TestRun run) {
        List<SourceFindings> out = new ArrayList<>();
        for (ManagedDevice d : run.scope.devices()) {
            d.finish();
            out.add(d.findings(null));
        }
        for (Map.Entry<ManagedDevice, ManagedDevice.Baseline> e : run.classBaselines.entrySet()) {
            e.getKey().finish();
            out.add(e.getKey().findings(e.getValue()));
        }
        for (Map.Entry<String, RewriterGroup> e : run.rewriters.entrySet()) {
            RewriterGroup g = e.getValue();
            out.add(new SourceFindings("rewriters " + e.getKey(), g.config().threads() + " x "
                    + g.config().pattern() + " from offset " + g.reservedOffset(), "", "", g.seed(),
                    g.operations(), -1, g.violations().counts(), g.violations().all()));
        }
        return out;
    }

    /** The outcome of a test. */
    static TestOutcome outcome(ExtensionContext context, RunContext run, TestRun test, String status) {
        Method m = context.getRequiredTestMethod();
        Class<?> testClass = context.getRequiredTestClass();
        String reproduce = Reproduce.command(testClass, m.getName(), run.masterSeed(), run.settings().explicit());
        long millis = (System.nanoTime() - test.startNanos) / 1_000_000;
        Set<ViolationKind> failOn = failOn(context, run);
        List<SourceFindings> sources = collect(test);
        CrashHandle crash = test.crash;
        CrashStates states = crash == null ? CrashStates.NONE : crash.states();
        List<Violation> recorded = new ArrayList<>();
        sources.forEach(s -> recorded.addAll(s.violations()));
        OptionalInt state = states.firstFailing(recorded, failOn);
        if (state.isPresent()) {
            // The line replays the state of the first failing crash violation, not the whole budget.
            reproduce = Reproduce.withCrashState(reproduce, state.getAsInt());
        }
        return new TestOutcome(context.getUniqueId(), testClass.getName(), m.getName(), context.getDisplayName(),
                status, run.masterSeed(), test.testSeed, millis, reproduce, failOn, sources, states);
    }

    /** The error for an outcome with failing violations. */
    static IoConsistencyError error(TestOutcome outcome) {
        return new IoConsistencyError(VerdictMessage.render(outcome), outcome.counts(), outcome.violations(),
                outcome.reproduce());
    }
}
