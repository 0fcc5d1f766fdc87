package io.staleguard.device.fs.crash;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Why one crash state is what it is, as data: the crash point, the volatile operations it kept, dropped and tore,
 * and for every lost item the persistence operation that was missing. A DURABILITY or CRASH_RECOVERY violation
 * carries the explanation of the state it was found in ({@link CrashOutcome#explanationOf}); its detail is
 * {@link #text()}.
 *
 * @param state      the state's number ({@code -Dstaleguard.crashState=n} replays it)
 * @param model      the crash model the state was chosen under
 * @param point      the crash point
 * @param kept       the volatile operations that persisted whole, in log order
 * @param dropped    those that did not persist (lost writes included), in log order
 * @param torn       the writes of which only leading units persisted, in log order
 * @param missing    for every lost item, the missing persistence operation, the claim's (if any) first
 * @param keptCount    how many volatile operations persisted, as the detail counts them (size steps included)
 * @param droppedCount how many did not persist, as the detail counts them
 * @param text       the explanation in words: the point, the fates, one {@code missing:} line each
 */
@API(status = EXPERIMENTAL, since = "0.2")
public record CrashExplanation(int state, CrashModel model, CrashPointInfo point, List<VolatileOperation> kept,
                               List<VolatileOperation> dropped, List<VolatileOperation> torn,
                               List<MissingPersistence> missing, int keptCount, int droppedCount, String text) {

    public CrashExplanation {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(point, "point");
        kept = List.copyOf(kept);
        dropped = List.copyOf(dropped);
        torn = List.copyOf(torn);
        missing = List.copyOf(missing);
        text = text == null ? "" : text;
    }
}
