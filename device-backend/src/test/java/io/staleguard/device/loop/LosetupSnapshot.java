package io.staleguard.device.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.loop.internal.Losetup;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code losetup --list} before a test, compared after it. Other developers may attach and detach
 * their own devices meanwhile, so the comparison is: nothing of ours is left, and every device
 * that was there before and is gone now was not detached by this JVM (its detach journal says).
 */
public final class LosetupSnapshot {

    private final List<Losetup.Entry> before;
    private final int journalMark;

    private LosetupSnapshot(List<Losetup.Entry> before, int journalMark) {
        this.before = before;
        this.journalMark = journalMark;
    }

    /** Takes the snapshot. */
    public static LosetupSnapshot take() throws IOException {
        return new LosetupSnapshot(Losetup.list(), Losetup.detachJournal().size());
    }

    /** Asserts that {@code losetup -l} is as found, modulo other processes' own changes. */
    public void assertUnchanged(java.nio.file.Path ourDir) throws IOException {
        List<Losetup.Entry> after = Losetup.list();
        assertThat(LoopTestSupport.attachedUnder(ourDir)).as("loop devices left attached under %s", ourDir).isEmpty();
        List<Losetup.Entry> journal = Losetup.detachJournal();
        List<Losetup.Entry> ours = journal.subList(journalMark, journal.size());
        String prefix = ourDir.toAbsolutePath().normalize() + "/";
        assertThat(ours).as("every detach this test issued targeted an image under %s", ourDir)
                .allSatisfy(e -> assertThat(e.backingFile()).startsWith(prefix));
        Set<Losetup.Entry> afterSet = Set.copyOf(after);
        List<Losetup.Entry> vanished = new ArrayList<>();
        for (Losetup.Entry e : before) {
            if (!afterSet.contains(e)) {
                vanished.add(e);
            }
        }
        assertThat(vanished).as("devices present before and detached by this JVM").noneMatch(ours::contains);
        if (!vanished.isEmpty()) {
            System.err.println("note: other processes detached " + vanished + " meanwhile");
        }
        List<Losetup.Entry> appeared = new ArrayList<>(after);
        appeared.removeAll(before);
        if (!appeared.isEmpty()) {
            System.err.println("note: other processes attached " + appeared + " meanwhile");
        }
    }
}
