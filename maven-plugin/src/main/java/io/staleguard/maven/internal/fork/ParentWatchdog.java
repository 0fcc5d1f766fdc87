package io.staleguard.maven.internal.fork;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Notices that the Maven JVM which started the fork is gone, so that a {@code kill -9} of Maven does not leave the
 * soak running to the end of its budget (hours, in a nightly) and holding its loop devices. Two signs, whichever
 * comes first: the fork's stdin, a pipe from Maven nobody writes to, reaches end of file (the kernel closes it when
 * Maven dies); or Maven's process handle is no longer alive (polled, for a stdin that was redirected). Maven's pid
 * comes from {@link ForkProtocol#PARENT_PID}, set by the {@code soak} goal, so a fork started by hand with another
 * stdin is not watched at all.
 */
final class ParentWatchdog {

    /** How often the parent's handle is polled. */
    static final long POLL_MILLIS = 500;

    private ParentWatchdog() {
    }

    /** The watched parent's handle, when the fork was told whom to watch and that process runs. */
    static Optional<ProcessHandle> parentFromProperty() {
        String pid = System.getProperty(ForkProtocol.PARENT_PID, "").trim();
        if (pid.isEmpty()) {
            return Optional.empty();
        }
        try {
            return ProcessHandle.of(Long.parseLong(pid));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Starts the two daemon watchers; {@code gone} runs once, with the reason, when either sees the parent go.
     *
     * @param parent the parent process; if it is already gone, {@code gone} runs at once
     * @param stdin  the pipe from the parent (end of file means it closed), or null to poll only
     */
    static void start(ProcessHandle parent, InputStream stdin, Consumer<String> gone) {
        Once once = new Once(gone);
        Thread poll = new Thread(() -> {
            try {
                while (parent.isAlive()) {
                    TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
                }
                once.fire("its parent Maven process (pid " + parent.pid() + ") is gone");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "staleguard-parent-watchdog");
        poll.setDaemon(true);
        poll.start();
        if (stdin == null) {
            return;
        }
        Thread pipe = new Thread(() -> {
            try {
                byte[] sink = new byte[256];
                while (stdin.read(sink) >= 0) {
                    // Nobody writes to the fork's stdin; bytes that come anyway are not a sign of anything.
                }
            } catch (IOException e) {
                // A broken pipe is the same news as end of file.
            }
            once.fire("its parent Maven process (pid " + parent.pid() + ") closed the pipe to it");
        }, "staleguard-parent-pipe");
        pipe.setDaemon(true);
        pipe.start();
    }

    /** Runs the callback at most once, whichever watcher fires first. */
    private static final class Once {
        private final Consumer<String> callback;
        private boolean fired;

        Once(Consumer<String> callback) {
            this.callback = callback;
        }

        void fire(String reason) {
            synchronized (this) {
                if (fired) {
                    return;
                }
                fired = true;
            }
            callback.accept(reason);
        }
    }
}
