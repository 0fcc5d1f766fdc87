package io.staleguard.junit.internal;

import io.staleguard.device.Seeds;
import io.staleguard.junit.Crash;
import io.staleguard.junit.Device;
import io.staleguard.junit.IoConsistencyError;
import io.staleguard.junit.Rewriters;
import java.lang.reflect.Field;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.opentest4j.TestAbortedException;

/**
 * What {@link io.staleguard.junit.StaleguardExtension} does at each step of a test's life. State lives in the
 * extension contexts' stores: the class scope in the class context, the test run in the method context.
 */
public final class Lifecycle {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(Lifecycle.class);
    private static final String CLASS_SCOPE = "classScope";
    private static final String TEST_RUN = "testRun";
    private static final String TEST_SCOPE = "testScope";

    private Lifecycle() {
    }

    /** Before all tests of a class: static fields and {@code @BeforeAll}/{@code @AfterAll} parameters. */
    public static void beforeAll(ExtensionContext context) throws Exception {
        RunContext run = RunContext.of(context);
        DeviceScope scope = classScope(context);
        Class<?> testClass = context.getRequiredTestClass();
        List<InjectionPoint> points = new ArrayList<>();
        List<Field> fields = Injections.deviceFields(testClass, true);
        for (Field f : fields) {
            points.add(InjectionPoint.of(f, f.getAnnotation(Device.class), testClass));
        }
        points.addAll(Injections.classMethodPoints(testClass));
        Provisioner.provision(scope, points, run);
        for (Field f : fields) {
            inject(f, null, view(scope, InjectionPoint.of(f, f.getAnnotation(Device.class), testClass)));
        }
    }

    /**
     * After all tests of a class: violations the class devices found outside any test fail the class, and so do
     * rewriter threads of its tests that still run (they would not stop when their test ended).
     */
    public static void afterAll(ExtensionContext context) {
        AssertionError stuck = StuckRewriters.of(context).stillRunning();
        DeviceScope scope = context.getStore(NS).get(CLASS_SCOPE, DeviceScope.class);
        if (scope == null) {
            if (stuck != null) {
                throw stuck;
            }
            return;
        }
        RunContext run = RunContext.of(context);
        ClassBaselines seen = ClassBaselines.find(context);
        List<SourceFindings> findings = new ArrayList<>();
        for (ManagedDevice d : scope.devices()) {
            d.finish();
            findings.add(d.findings(seen == null ? null : seen.get(d)));
        }
        Class<?> testClass = context.getRequiredTestClass();
        TestOutcome outcome = new TestOutcome(context.getUniqueId(), testClass.getName(), "(class)",
                context.getDisplayName(), "FAILED", run.masterSeed(), scope.seed(), 0,
                Reproduce.command(testClass, null, run.masterSeed(), run.settings().explicit()),
                Verdicts.failOn(context, run), findings, CrashStates.NONE);
        if (outcome.fails()) {
            IoConsistencyError error = Verdicts.error(outcome);
            if (stuck != null) {
                error.addSuppressed(stuck);
            }
            throw error;
        }
        if (stuck != null) {
            throw stuck;
        }
    }

    /** Before each test: validates and makes the test's devices, injects instance fields, prepares rewriters. */
    public static void beforeEach(ExtensionContext context) throws Exception {
        RunContext run = RunContext.of(context);
        DeviceScope classScope = classScope(context.getParent().orElseThrow());
        long testSeed = Seeds.derive(run.masterSeed(), context.getUniqueId());
        DeviceScope scope = new DeviceScope(classScope, testSeed);
        ExtensionContext.Store store = context.getStore(NS);
        store.put(TEST_SCOPE, scope);
        TestRun test = new TestRun(testSeed, scope);
        store.put(TEST_RUN, test);

        Class<?> testClass = context.getRequiredTestClass();
        List<Object> instances = context.getRequiredTestInstances().getAllInstances();
        List<InjectionPoint> points = new ArrayList<>();
        List<Field> fields = new ArrayList<>();
        List<Field> rewriterFields = new ArrayList<>();
        for (Object instance : instances) {
            for (Field f : Injections.deviceFields(instance.getClass(), false)) {
                fields.add(f);
                points.add(InjectionPoint.of(f, f.getAnnotation(Device.class), instance.getClass()));
            }
            rewriterFields.addAll(Injections.rewriterFields(instance.getClass()));
        }
        points.addAll(Injections.testMethodPoints(testClass, context.getRequiredTestMethod()));
        Provisioner.provision(scope, points, run);

        bindCrash(context, test);
        for (ManagedDevice d : classScope.devices()) {
            test.classBaselines.put(d, d.baseline());
        }
        for (Object instance : instances) {
            for (Field f : fields) {
                if (f.getDeclaringClass().isInstance(instance)) {
                    inject(f, instance, view(scope, InjectionPoint.of(f, f.getAnnotation(Device.class))));
                }
            }
            for (Field f : rewriterFields) {
                if (f.getDeclaringClass().isInstance(instance)) {
                    RewriterGroup g = RewriterGroups.of(context, test, f.getAnnotation(Rewriters.class),
                            "field:" + f.getDeclaringClass().getName() + "." + f.getName());
                    inject(f, instance, f.getType() == Rewriters.class ? g.config() : g);
                }
            }
        }
        for (Parameter p : context.getRequiredTestMethod().getParameters()) {
            Rewriters r = p.getAnnotation(Rewriters.class);
            if (r != null) {
                RewriterGroups.of(context, test, r, "param:" + p.getName());
            }
        }
    }

    /** Whether a parameter is ours. */
    public static boolean supports(ParameterContext parameter) {
        return parameter.isAnnotated(Device.class) || parameter.isAnnotated(Rewriters.class)
                || InjectableTypes.isCrash(parameter.getParameter().getType());
    }

    /** Resolves a {@code @Device} or {@code @Rewriters} parameter. */
    public static Object resolve(ParameterContext parameter, ExtensionContext context) throws Exception {
        Parameter p = parameter.getParameter();
        if (InjectableTypes.isCrash(p.getType())) {
            return crash(parameter, context);
        }
        Optional<Rewriters> rw = parameter.findAnnotation(Rewriters.class);
        if (rw.isPresent()) {
            TestRun test = context.getStore(NS).get(TEST_RUN, TestRun.class);
            if (test == null) {
                throw new ExtensionConfigurationException("@Rewriters live for one test; they cannot be injected "
                        + "into " + InjectionPoint.signature(parameter.getDeclaringExecutable()));
            }
            RewriterGroup g = RewriterGroups.of(context, test, rw.get(), "param:" + p.getName());
            return p.getType() == Rewriters.class ? g.config() : g;
        }
        Device d = parameter.findAnnotation(Device.class).orElseThrow();
        TestRun test = context.getStore(NS).get(TEST_RUN, TestRun.class);
        DeviceScope scope = test != null ? test.scope : classScope(context);
        InjectionPoint point = InjectionPoint.of(p, parameter.getIndex(), d, test == null);
        if (scope.find(point.deviceKey()) == null) {
            // A point the scan did not see (an extension-invoked method): make its device now.
            Provisioner.provision(scope, List.of(point), RunContext.of(context));
        }
        return view(scope, point);
    }

    /**
     * The test's {@code Crash}, bound to the simulated filesystem of its one {@code @Device Path} parameter; one per
     * test, however often it is injected.
     */
    private static Crash crash(ParameterContext parameter, ExtensionContext context) {
        TestRun test = context.getStore(NS).get(TEST_RUN, TestRun.class);
        CrashHandle crash = test == null ? null : test.crash;
        if (crash == null) {
            throw new ExtensionConfigurationException("Crash explores one test's workload; inject it into the test "
                    + "method, not into " + crashWhere(parameter.getParameter(), parameter.getIndex()));
        }
        return crash;
    }

    /** Binds the test method's {@code Crash}, if it has one, so that bad use fails before the body runs. */
    private static void bindCrash(ExtensionContext context, TestRun test) throws Exception {
        Parameter[] ps = context.getRequiredTestMethod().getParameters();
        for (int i = 0; i < ps.length; i++) {
            if (InjectableTypes.isCrash(ps[i].getType())) {
                test.crash = CrashBinding.bind(context, test, ps[i], crashWhere(ps[i], i));
                return;
            }
        }
    }

    private static String crashWhere(Parameter p, int index) {
        return (p.isNamePresent() ? "parameter '" + p.getName() + "'" : "parameter " + index) + " of "
                + InjectionPoint.signature(p.getDeclaringExecutable());
    }

    /**
     * Runs a test body between its rewriters' start and stop. A rewriter's failure is reported even when the
     * body failed too (attached to the body's failure).
     */
    public static void runBody(InvocationInterceptor.Invocation<Void> invocation, ExtensionContext context)
            throws Throwable {
        startRewriters(context);
        FirstFailure<Throwable> failure = new FirstFailure<>();
        try {
            invocation.proceed();
        } catch (Throwable t) {
            failure.add(t);
        }
        try {
            stopRewriters(context);
        } catch (Throwable t) {
            failure.add(t);
        }
        failure.rethrow();
    }

    /** Starts the test's rewriters, just before the test body. */
    private static void startRewriters(ExtensionContext context) {
        TestRun test = context.getStore(NS).get(TEST_RUN, TestRun.class);
        if (test != null) {
            test.rewriterGroups().forEach(RewriterGroup::start);
        }
    }

    /** Stops and joins the test's rewriters, just after the test body; throws a rewriter's failure. */
    private static void stopRewriters(ExtensionContext context) {
        TestRun test = context.getStore(NS).get(TEST_RUN, TestRun.class);
        if (test != null) {
            test.stopRewriters();
        }
    }

    /**
     * The test body failed: if the devices saw violations, they are the likelier cause, so the
     * {@link IoConsistencyError} becomes the failure and the body's exception is attached to it.
     */
    public static void onTestFailure(ExtensionContext context, Throwable thrown) throws Throwable {
        TestRun test = context.getStore(NS).get(TEST_RUN, TestRun.class);
        if (test == null || thrown instanceof IoConsistencyError || thrown instanceof TestAbortedException) {
            throw thrown;
        }
        try {
            test.stopRewriters();
        } catch (Throwable t) {
            thrown.addSuppressed(t);
        }
        TestOutcome outcome = Verdicts.outcome(context, RunContext.of(context), test, "FAILED");
        if (outcome.fails()) {
            IoConsistencyError error = Verdicts.error(outcome);
            error.addSuppressed(thrown);
            test.verdictThrown = true;
            throw error;
        }
        throw thrown;
    }

    /** After each test: the verdict and the report. */
    public static void afterEach(ExtensionContext context) throws Exception {
        TestRun test = context.getStore(NS).get(TEST_RUN, TestRun.class);
        if (test == null) {
            return;
        }
        RunContext run = RunContext.of(context);
        Throwable rewriterFailure = null;
        try {
            test.stopRewriters();
        } catch (Throwable t) {
            rewriterFailure = t;
        }
        Optional<Throwable> thrown = context.getExecutionException();
        String status = thrown.isEmpty() ? "PASSED"
                : thrown.get() instanceof TestAbortedException ? "ABORTED" : "FAILED";
        for (ManagedDevice d : test.scope.devices()) {
            d.finish();
            d.closeViews();
        }
        TestOutcome outcome = Verdicts.outcome(context, run, test, status);
        boolean fail = outcome.fails() && !test.verdictThrown && !"ABORTED".equals(status);
        if (fail || rewriterFailure != null) {
            outcome = outcome.withStatus("FAILED");
        }
        String stem = context.getRequiredTestMethod().getName() + invocationSuffix(context.getUniqueId());
        ReportFiles.write(context, run.settings().reportDir(), outcome, stem);
        ClassBaselines.of(context.getParent().orElseThrow()).update(test);
        if (fail) {
            IoConsistencyError error = Verdicts.error(outcome);
            if (rewriterFailure != null) {
                error.addSuppressed(rewriterFailure);
            }
            throw error;
        }
        if (rewriterFailure instanceof Exception e) {
            throw e;
        }
        if (rewriterFailure instanceof Error e) {
            throw e;
        }
    }

    /** {@code "[3]"} for the third invocation of a template (parameterized, repeated), else empty. */
    static String invocationSuffix(String uniqueId) {
        int i = uniqueId.lastIndexOf("-invocation:#");
        if (i < 0) {
            return "";
        }
        String n = uniqueId.substring(i + "-invocation:#".length()).replace("]", "");
        return "[" + n + "]";
    }

    private static DeviceScope classScope(ExtensionContext classContext) {
        RunContext run = RunContext.of(classContext);
        return classContext.getStore(NS).getOrComputeIfAbsent(CLASS_SCOPE,
                k -> new DeviceScope(null, Seeds.derive(run.masterSeed(), classContext.getUniqueId())),
                DeviceScope.class);
    }

    private static Object view(DeviceScope scope, InjectionPoint point) throws Exception {
        DeviceScope.Entry e = scope.find(point.deviceKey());
        if (e == null) {
            throw new IllegalStateException("no device for " + point.where());
        }
        return e.device().view(point.type(), point.device().direct());
    }

    private static void inject(Field f, Object instance, Object value) throws IllegalAccessException {
        f.setAccessible(true);
        f.set(instance, value);
    }
}
