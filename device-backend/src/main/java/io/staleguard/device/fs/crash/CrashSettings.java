package io.staleguard.device.fs.crash;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The settings of one crash exploration.
 *
 * @param model       the crash model (default {@link CrashModel#POSIX})
 * @param budget      the number of distinct crash states to explore, at least 1 (default {@value #DEFAULT_BUDGET})
 * @param atomicWrite the atomic write unit in bytes at which unsynced writes tear: a power of two in
 *                    [{@value #MIN_ATOMIC_WRITE}, {@value #MAX_ATOMIC_WRITE}] (default {@value #DEFAULT_ATOMIC_WRITE})
 * @param seed        the seed every sampled decision derives from
 * @param replayState the number of the one state to replay, or {@value #ALL_STATES} to explore the whole budget
 */
@API(status = EXPERIMENTAL, since = "0.2")
public record CrashSettings(CrashModel model, int budget, int atomicWrite, long seed, int replayState) {

    /** The default budget, as {@code staleguard.crashStates} documents it. */
    public static final int DEFAULT_BUDGET = 200;
    /** The default atomic write unit: a 512-byte sector. */
    public static final int DEFAULT_ATOMIC_WRITE = 512;
    /** The smallest atomic write unit accepted. */
    public static final int MIN_ATOMIC_WRITE = 512;
    /** The largest atomic write unit accepted: 1 MiB. */
    public static final int MAX_ATOMIC_WRITE = 1 << 20;
    /** {@link #replayState()} when every planned state is explored. */
    public static final int ALL_STATES = -1;

    public CrashSettings {
        Objects.requireNonNull(model, "model");
        if (budget < 1) {
            throw new IllegalArgumentException("crash state budget must be >= 1, was " + budget);
        }
        if (atomicWrite < MIN_ATOMIC_WRITE || atomicWrite > MAX_ATOMIC_WRITE || Integer.bitCount(atomicWrite) != 1) {
            throw new IllegalArgumentException("atomic write unit must be a power of two in [" + MIN_ATOMIC_WRITE
                    + ", " + MAX_ATOMIC_WRITE + "] bytes, was " + atomicWrite);
        }
        if (replayState < ALL_STATES) {
            throw new IllegalArgumentException("crash state to replay must be >= 0 (or -1 for all), was "
                    + replayState);
        }
    }

    /** POSIX, the default budget and unit, every state, under {@code seed}. */
    public static CrashSettings defaults(long seed) {
        return new CrashSettings(CrashModel.POSIX, DEFAULT_BUDGET, DEFAULT_ATOMIC_WRITE, seed, ALL_STATES);
    }

    /** These settings under another model. */
    public CrashSettings withModel(CrashModel m) {
        return new CrashSettings(m, budget, atomicWrite, seed, replayState);
    }

    /** These settings with another budget. */
    public CrashSettings withBudget(int b) {
        return new CrashSettings(model, b, atomicWrite, seed, replayState);
    }

    /** These settings with another atomic write unit. */
    public CrashSettings withAtomicWrite(int unit) {
        return new CrashSettings(model, budget, unit, seed, replayState);
    }

    /** These settings replaying state {@code n} only. */
    public CrashSettings replaying(int n) {
        return new CrashSettings(model, budget, atomicWrite, seed, n);
    }

    /** Whether one state is replayed rather than the budget explored. */
    public boolean replays() {
        return replayState != ALL_STATES;
    }
}
