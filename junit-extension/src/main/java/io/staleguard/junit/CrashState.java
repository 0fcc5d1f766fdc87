package io.staleguard.junit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Set;
import org.apiguardian.api.API;

/** One crash state that {@link Crash.Recovery} runs on. */
@API(status = EXPERIMENTAL, since = "0.2")
public interface CrashState {

    /** The keys given to {@link Crash#acknowledge(String)} before this state's crash point. */
    Set<String> acknowledged();

    /** This state's number, as {@code -Dstaleguard.crashState=<n>} replays it. */
    int index();

    /** One line naming the crash point and the model, for messages. */
    String describe();
}
