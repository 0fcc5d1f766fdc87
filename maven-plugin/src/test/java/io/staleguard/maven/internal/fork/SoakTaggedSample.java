package io.staleguard.maven.internal.fork;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A {@code @Soak}-tagged test for the forked-soak tests (not run by surefire: its name is no test
 * pattern). With {@code -Dsample.crash=true} it kills its JVM, as a crashing native library would.
 */
@Tag("staleguard-soak")
class SoakTaggedSample {

    @Test
    void spins() throws Exception {
        if (Boolean.getBoolean("sample.crash")) {
            Thread.sleep(1500);
            Runtime.getRuntime().halt(9);
        }
        Thread.sleep(50);
    }
}
