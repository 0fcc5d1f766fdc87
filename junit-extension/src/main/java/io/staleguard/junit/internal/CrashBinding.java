package io.staleguard.junit.internal;

import io.staleguard.device.fs.SimulatedFileSystem;
import io.staleguard.junit.Backend;
import io.staleguard.junit.Device;
import io.staleguard.junit.Rewriters;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Binds a test's {@code Crash} to the simulated filesystem of its one {@code @Device Path} (a parameter of the test
 * method or a field of the test instance or class), refusing what cannot work.
 */
final class CrashBinding {

    private CrashBinding() {
    }

    /**
     * @param context the test's context
     * @param test    the running test
     * @param crash   the {@code Crash} parameter
     * @param where   the parameter, for messages
     */
    static CrashHandle bind(ExtensionContext context, TestRun test, Parameter crash, String where) throws Exception {
        Method m = context.getRequiredTestMethod();
        String testName = context.getRequiredTestClass().getSimpleName() + "#" + m.getName();
        Device named = crash.getAnnotation(Device.class);
        List<InjectionPoint> paths = new ArrayList<>();
        Set<String> devices = new LinkedHashSet<>();
        boolean fields = false;
        for (InjectionPoint point : pathPoints(context, m)) {
            if (point.type() == Path.class && (named == null || point.device().name().equals(named.name()))
                    && devices.add(point.deviceKey())) {
                paths.add(point);
                fields |= point.key().startsWith("field:");
            }
        }
        if (devices.size() != 1) {
            String why = named != null ? ": no @Device(name = \"" + named.name() + "\") Path parameter or field"
                    : devices.isEmpty() ? "" : ": it has " + devices.size() + " @Device Path "
                    + (fields ? "parameters and fields" : "parameters") + ", and a Crash explores one filesystem";
            throw new ExtensionConfigurationException("Crash needs a @Device Path on Backend.SIMULATED in " + testName
                    + " (or @Device(name = …) on both)" + why + " [" + where + "]");
        }
        InjectionPoint point = paths.get(0);
        DeviceScope.Entry entry = test.scope.find(point.deviceKey());
        if (entry == null && point.classScoped() && test.scope.parent() != null) {
            // A static field's device lives in the class scope, which only shares named devices by itself.
            entry = test.scope.parent().find(point.deviceKey());
        }
        if (entry == null) {
            throw new IllegalStateException("no device for " + point.where());
        }
        DeviceSpec spec = entry.spec();
        if (spec.backend() != Backend.SIMULATED) {
            throw new ExtensionConfigurationException("Crash explores the crash states of the simulated filesystem, "
                    + "but the device of " + point.where() + " is on Backend." + spec.backend() + "; the host's "
                    + "filesystem cannot be reset to a crash state (a LazyFS-style FILE mode does not exist yet): "
                    + "use Backend.SIMULATED [" + where + "]");
        }
        if (spec.dax()) {
            throw new ExtensionConfigurationException("Crash does not model DAX (@Device(dax = true)): stores through "
                    + "a DAX mapping reach the media without a page cache, so there is no volatile state to lose; "
                    + "explore without dax on " + point.where() + " [" + where + "]");
        }
        ManagedDevice device = entry.device();
        refuseRewritersOn(device, context, test, m, testName, point, where);
        SimulatedFileSystem fs = device.simulatedFileSystem();
        if (fs == null) {
            throw new IllegalStateException("the device of " + point.where() + " has no simulated filesystem");
        }
        RunContext run = RunContext.of(context);
        return new CrashHandle(testName, "the device of " + point.where(), fs,
                CrashSettingsResolver.resolve(run.settings().crash(), crash, m, context.getRequiredTestClass(),
                        test.testSeed),
                ExplorerAdapter.INSTANCE, device::route);
    }

    /** The test method's {@code @Device} parameters, then the {@code @Device} fields of its instances and class. */
    private static List<InjectionPoint> pathPoints(ExtensionContext context, Method m) {
        List<InjectionPoint> out = new ArrayList<>(Injections.parameterPoints(m, false));
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            for (Field f : Injections.deviceFields(instance.getClass(), false)) {
                out.add(InjectionPoint.of(f, f.getAnnotation(Device.class), instance.getClass()));
            }
        }
        Class<?> testClass = context.getRequiredTestClass();
        for (Field f : Injections.deviceFields(testClass, true)) {
            out.add(InjectionPoint.of(f, f.getAnnotation(Device.class), testClass));
        }
        return out;
    }

    /**
     * Refuses rewriters that stress the device the Crash explores: a power cycle with their threads in flight has no
     * meaning. Rewriters on another device of the same test are fine; they resolve their device as
     * {@link RewriterGroups} does.
     */
    private static void refuseRewritersOn(ManagedDevice crashed, ExtensionContext context, TestRun test, Method m,
                                          String testName, InjectionPoint point, String where) {
        List<String> keys = new ArrayList<>();
        List<Rewriters> configs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Parameter[] ps = m.getParameters();
        for (int i = 0; i < ps.length; i++) {
            Rewriters r = ps[i].getAnnotation(Rewriters.class);
            if (r != null) {
                keys.add("param:" + ps[i].getName());
                configs.add(r);
                names.add(ps[i].isNamePresent() ? "parameter '" + ps[i].getName() + "'" : "parameter " + i);
            }
        }
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            for (Field f : Injections.rewriterFields(instance.getClass())) {
                keys.add("field:" + f.getDeclaringClass().getName() + "." + f.getName());
                configs.add(f.getAnnotation(Rewriters.class));
                names.add("field '" + f.getName() + "'");
            }
        }
        for (int i = 0; i < keys.size(); i++) {
            if (RewriterGroups.target(test, configs.get(i), keys.get(i)) == crashed) {
                throw new ExtensionConfigurationException("@Rewriters and Crash in one test: the rewriters of "
                        + names.get(i) + " stress the device of " + point.where() + ", which the Crash explores, "
                        + "and a power cycle with rewriter threads in flight has no meaning; put them on another "
                        + "device (@Device(name = …) and @Rewriters(device = …)) or explore without @Rewriters in "
                        + testName + " [" + where + "]");
            }
        }
    }
}
