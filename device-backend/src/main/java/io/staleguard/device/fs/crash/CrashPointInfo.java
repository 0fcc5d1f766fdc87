package io.staleguard.device.fs.crash;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Where on the recorded run the power was lost in one crash state: the operations of the run before the point
 * happened, nothing after.
 *
 * @param index     the point's position among the exploration's crash points, from 0, in log order
 * @param position  how many recorded operations happened before the power was lost
 * @param time      the device clock at the point, as the timeline shows it
 * @param placement whether the point is just before or just after {@code operation}
 * @param operation the operation the point is placed by, in words ({@code "force(true) of /test/wal.log"}); empty
 *                  at the end of an empty run
 * @param text      the point in one sentence ({@code "crash state 3 (POSIX): power lost just before force(true) of
 *                  /test/wal.log at t=812"})
 */
@API(status = EXPERIMENTAL, since = "0.2")
public record CrashPointInfo(int index, int position, long time, Placement placement, String operation, String text) {

    /** How a crash point sits next to the operation it is placed by. */
    public enum Placement {
        /** Just before a force, a directory fsync or a close took effect. */
        BEFORE,
        /** Just after the operation (a sync, an acknowledgement, a write). */
        AFTER,
        /** At the end of the workload. */
        END
    }

    public CrashPointInfo {
        Objects.requireNonNull(placement, "placement");
        operation = operation == null ? "" : operation;
        text = text == null ? "" : text;
    }
}
