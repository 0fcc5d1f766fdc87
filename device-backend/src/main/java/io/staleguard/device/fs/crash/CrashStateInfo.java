package io.staleguard.device.fs.crash;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Set;
import org.apiguardian.api.API;

/** What a recovery knows about the crash state it runs on. */
@API(status = EXPERIMENTAL, since = "0.2")
public interface CrashStateInfo {

    /** The state's number: what {@code -Dstaleguard.crashState=n} replays. */
    int index();

    /** The keys the workload acknowledged before this state's crash point, in acknowledgement order. */
    Set<String> acknowledged();

    /** The crash model the state was chosen under. */
    CrashModel model();

    /** One line naming the crash point and the model, as violations print it. */
    String describe();
}
