package io.staleguard.device.sim;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * One fault armed on a {@link SimulatedDevice}, as {@link FaultInjector#armed()} lists it and every
 * arming method returns it: a snapshot, taken when asked.
 *
 * @param id        the fault's number on its device (1, 2, ...), as notes and reports name it ({@code "fault #3"})
 * @param kind      what it does
 * @param target    where it applies, in words ({@code "[8192,+4096)"}, {@code "writes on /db/wal.log"},
 *                  {@code "the next 2 fsyncs"})
 * @param remaining how many more times it fires; -1: until the blocks are rewritten (latent sector errors,
 *                  bit flips) or for as long as its rate applies (a spec item)
 * @param origin    the call or spec item that armed it: {@code "failFsync(1)"}, {@code "spec fsync-error@2"}
 */
@API(status = EXPERIMENTAL, since = "0.2")
public record Fault(long id, FaultKind kind, String target, int remaining, String origin) {

    @Override
    public String toString() {
        return "fault #" + id + " " + kind.inWords() + " " + target + " (" + origin
                + (remaining >= 0 ? ", " + remaining + " left" : "") + ")";
    }
}
