package io.staleguard.maven.internal.fork;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ParentWatchdogTest {

    @Test
    void theEndOfThePipeFromTheParentFiresOnce() throws Exception {
        List<String> fired = new CopyOnWriteArrayList<>();
        CountDownLatch once = new CountDownLatch(1);
        ParentWatchdog.start(ProcessHandle.current(), new ByteArrayInputStream(new byte[0]), why -> {
            fired.add(why);
            once.countDown();
        });
        assertThat(once.await(5, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(2 * ParentWatchdog.POLL_MILLIS);
        assertThat(fired).containsExactly("its parent Maven process (pid " + ProcessHandle.current().pid()
                + ") closed the pipe to it");
    }

    @Test
    void aParentThatDiesIsSeenByItsHandleAndAnOpenPipeOrBytesOnItAreNoSign() throws Exception {
        Process parent = new ProcessBuilder("sleep", "60").start();
        try (PipedOutputStream w = new PipedOutputStream(); InputStream r = new PipedInputStream(w)) {
            List<String> fired = new CopyOnWriteArrayList<>();
            CountDownLatch once = new CountDownLatch(1);
            ParentWatchdog.start(parent.toHandle(), r, why -> {
                fired.add(why);
                once.countDown();
            });
            w.write("noise\n".getBytes());
            w.flush();
            assertThat(once.await(3 * ParentWatchdog.POLL_MILLIS, TimeUnit.MILLISECONDS)).as("parent alive").isFalse();
            parent.destroyForcibly().waitFor();
            assertThat(once.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(fired).containsExactly("its parent Maven process (pid " + parent.pid() + ") is gone");
        } finally {
            parent.destroyForcibly();
        }
    }

    @Test
    void withoutThePropertyNothingIsWatched() {
        assertThat(System.getProperty(io.staleguard.maven.internal.fork.ForkProtocol.PARENT_PID)).isNull();
        assertThat(ParentWatchdog.parentFromProperty()).isEmpty();
    }
}
