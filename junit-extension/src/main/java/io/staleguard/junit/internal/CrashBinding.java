package io.staleguard.junit.internal;

import io.staleguard.device.fs.SimulatedFileSystem;
import io.staleguard.junit.Backend;
import io.staleguard.junit.Device;
import io.staleguard.junit.Rewriters;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Binds a test's {@code Crash} to the simulated filesystem of its one {@code @Device Path}, refusing what cannot work. */
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
        for (InjectionPoint point : Injections.parameterPoints(m, false)) {
            if (point.type() == Path.class && (named == null || point.device().name().equals(named.name()))) {
                paths.add(point);
                devices.add(point.deviceKey());
            }
        }
        if (devices.size() != 1) {
            String why = named != null ? ": no @Device(name = \"" + named.name() + "\") Path parameter"
                    : devices.isEmpty() ? "" : ": it has " + devices.size() + " @Device Path parameters, and a Crash "
                    + "explores one filesystem";
            throw new ExtensionConfigurationException("Crash needs a @Device Path on Backend.SIMULATED in " + testName
                    + " (or @Device(name = …) on both)" + why + " [" + where + "]");
        }
        InjectionPoint point = paths.get(0);
        DeviceScope.Entry entry = test.scope.find(point.deviceKey());
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
        for (Parameter p : m.getParameters()) {
            if (p.isAnnotationPresent(Rewriters.class)) {
                throw new ExtensionConfigurationException("@Rewriters and Crash in one test: a power cycle with "
                        + "rewriter threads in flight has no meaning; explore without @Rewriters in " + testName
                        + " [" + where + "]");
            }
        }
        ManagedDevice device = entry.device();
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
}
