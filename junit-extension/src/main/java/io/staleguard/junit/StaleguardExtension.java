package io.staleguard.junit;

import static org.apiguardian.api.API.Status.STABLE;

import io.staleguard.junit.internal.Lifecycle;
import java.lang.reflect.Method;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * The JUnit Jupiter extension behind {@link StaleguardTest}: makes and injects {@link Device @Device}s, runs
 * {@link Rewriters @Rewriters} around each test body, and after each test fails it with an
 * {@link IoConsistencyError} if its devices or rewriters found violations of a failing kind, writing a report to
 * {@code target/staleguard/tests/<fully.qualified.Class>/<method>.json} either way.
 *
 * <p>Register it with {@code @StaleguardTest} (or {@code @ExtendWith(StaleguardExtension.class)}). Stateless:
 * everything lives in the extension contexts' stores, so parallel test execution is safe.
 */
@API(status = STABLE, since = "0.1.0")
public final class StaleguardExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver, InvocationInterceptor, TestExecutionExceptionHandler {

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Lifecycle.beforeAll(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Lifecycle.afterAll(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        Lifecycle.beforeEach(context);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Lifecycle.afterEach(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return Lifecycle.supports(parameterContext);
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        try {
            return Lifecycle.resolve(parameterContext, extensionContext);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new org.junit.jupiter.api.extension.ParameterResolutionException(e.getMessage(), e);
        }
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
                                    ExtensionContext extensionContext) throws Throwable {
        Lifecycle.runBody(invocation, extensionContext);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation,
                                            ReflectiveInvocationContext<Method> invocationContext,
                                            ExtensionContext extensionContext) throws Throwable {
        Lifecycle.runBody(invocation, extensionContext);
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        Lifecycle.onTestFailure(context, throwable);
    }
}
