package io.staleguard.device.fs.crash.internal;

import io.staleguard.device.FileLocation;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.fs.crash.CrashExplanation;
import io.staleguard.device.fs.crash.CrashOutcome;
import io.staleguard.device.fs.crash.CrashSettings;
import io.staleguard.device.fs.crash.CrashUseException;
import io.staleguard.device.fs.crash.CrashUseException.Problem;
import io.staleguard.device.fs.crash.MissingPersistence;
import io.staleguard.device.fs.crash.RecoveryCheck;
import io.staleguard.device.fs.crash.VolatileOperation;
import io.staleguard.device.fs.crash.internal.LogRecord.AckRec;
import io.staleguard.device.oracle.ViolationRecorder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One exploration from arm to end: records the workload through its {@link CrashTarget}, plans the states, checks
 * the claims, runs the recovery on every planned state (or the one replayed), and folds the recovery's failures by
 * {@link FailureSignature}. Violations go to the recorder (if any) and into the outcome.
 */
public final class CrashEngine {

    /** How many frames of a recovery's exception a CRASH_RECOVERY violation keeps. */
    static final int STACK_FRAMES = 20;

    private enum Phase { NEW, RECORDING, EXPLORED, ABANDONED }

    private final CrashTarget target;
    private final CrashSettings settings;
    private final ViolationRecorder recorder;
    private Phase phase = Phase.NEW;

    /** An engine over {@code target}; {@code recorder} (nullable) receives the violations. */
    public CrashEngine(CrashTarget target, CrashSettings settings, ViolationRecorder recorder) {
        this.target = Objects.requireNonNull(target, "target");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.recorder = recorder;
    }

    /** The settings. */
    public CrashSettings settings() {
        return settings;
    }

    /** Arms the target: the filesystem as it is now counts as durable, and recording starts. */
    public synchronized void start() throws IOException {
        if (phase != Phase.NEW) {
            throw new CrashUseException(phase == Phase.EXPLORED ? Problem.EXPLORED_TWICE : Problem.NOT_RECORDING,
                    "crash exploration already started");
        }
        target.arm();
        phase = Phase.RECORDING;
    }

    /** Records an acknowledgement of {@code key}. */
    public synchronized void acknowledge(String key) {
        Objects.requireNonNull(key, "key");
        recording("acknowledge");
        target.acknowledge(key, Thread.currentThread().getName());
    }

    /** Records a claim on {@code path}: the whole file, or {@code [offset, offset + length)}. */
    public synchronized void claim(String path, long offset, long length, boolean wholeFile) throws IOException {
        Objects.requireNonNull(path, "path");
        if (!wholeFile && (offset < 0 || length < 0 || offset > Long.MAX_VALUE - length)) {
            throw new IllegalArgumentException("acknowledged range [" + offset + ", +" + length + ") of " + path
                    + " is not a range of a file");
        }
        recording("acknowledge");
        target.claim(path, offset, length, wholeFile, Thread.currentThread().getName());
    }

    /** Stops recording without exploring: the workload failed. */
    public synchronized void abandon() {
        if (phase == Phase.RECORDING) {
            target.abandon();
        }
        phase = Phase.ABANDONED;
    }

    private void recording(String what) {
        if (phase != Phase.RECORDING) {
            throw new CrashUseException(Problem.NOT_RECORDING, "Crash." + what + " is only meaningful inside the "
                    + "workload of Crash.explore");
        }
    }

    /**
     * Stops recording and explores: the claims over every planned state, then {@code recovery} on each.
     *
     * @throws CrashUseException if the engine is not recording (explore twice, or never started), or the
     *                            workload wrote, created, renamed, deleted, truncated and synced nothing
     * @throws io.staleguard.device.fs.crash.CrashStateNotPlannedException if the replayed state is not planned
     */
    public CrashOutcome explore(RecoveryCheck recovery) throws IOException {
        Objects.requireNonNull(recovery, "recovery");
        CrashTarget.Recorded rec;
        synchronized (this) {
            if (phase == Phase.EXPLORED) {
                throw new CrashUseException(Problem.EXPLORED_TWICE, "Crash.explore was already called; one test "
                        + "explores one workload: split it into two tests");
            }
            if (phase != Phase.RECORDING) {
                throw new CrashUseException(Problem.NOT_RECORDING, "crash exploration was not started (or was "
                        + "abandoned)");
            }
            phase = Phase.EXPLORED;
            rec = target.finish();
        }
        CrashLog log = rec.log();
        if (!touched(log)) {
            throw new CrashUseException(Problem.NOTHING_RECORDED, "the workload never touched the simulated "
                    + "filesystem: it wrote, created, renamed, deleted, truncated and synced nothing, so there is no "
                    + "crash state to explore");
        }
        CrashStatePlanner planner = new CrashStatePlanner(log, rec.base(), settings);
        CrashPlan plan = planner.plan();
        DurabilityCheck durability = new DurabilityCheck(planner, settings.atomicWrite());
        List<StatePlan> run = settings.replays() ? List.of(plan.state(settings.replayState())) : plan.states();

        Map<Violation, Integer> stateOf = new IdentityHashMap<>();
        List<Violation> found = new ArrayList<>();
        Map<Violation, Integer> claimStates = new IdentityHashMap<>();
        Map<Violation, CrashExplanation> claimWhy = new IdentityHashMap<>();
        Map<Violation, CrashExplanation> explanations = new IdentityHashMap<>();
        for (Violation claimed : durability.run(log, plan, claimStates, claimWhy)) {
            int n = claimStates.get(claimed);
            if (!settings.replays() || n == settings.replayState()) {
                StatePlan s = plan.state(n);
                Violation v = claimed.withTimeline(CrashTimeline.of(log, n, s.point(),
                        plan.setOf(s).resolve(s.choices()), claimed.location() == null ? null
                                : claimed.location().path()));
                found.add(v);
                stateOf.put(v, n);
                explanations.put(v, claimWhy.get(claimed));
            }
        }

        Map<FailureSignature, Failure> failures = new LinkedHashMap<>();
        int explored = 0;
        int skipped = 0;
        try {
            for (StatePlan s : run) {
                Resolution res = plan.setOf(s).resolve(s.choices());
                target.enter(s.index(), planner.images().build(res));
                CrashStateView view = new CrashStateView(s.index(), acknowledged(log, s.point().point()),
                        settings.model(), CrashText.point(s.index(), settings.model(), s.point()));
                explored++;
                tagRecoveryViolations(s.index());
                try {
                    recovery.check(view);
                } catch (VirtualMachineError e) {
                    throw e;
                } catch (Throwable t) {
                    if (isAbort(t)) {
                        skipped++;
                        continue;
                    }
                    failures.computeIfAbsent(FailureSignature.of(t), k -> new Failure(s, res, t)).add(s, res, t);
                } finally {
                    untag();
                }
            }
        } finally {
            target.leave();
        }
        for (Failure f : failures.values()) {
            if (f.lossy == null) {
                explainByAlias(f, plan, planner, log);
            }
            CrashExplanation why = durability.explanation(plan, f.shown(), null);
            Violation v = recoveryViolation(f, explored - skipped, why)
                    .withTimeline(CrashTimeline.of(log, f.shown().index(), f.shown().point(), f.shownRes(), null));
            found.add(v);
            stateOf.put(v, f.shown().index());
            explanations.put(v, why);
        }
        if (recorder != null) {
            for (Violation v : found) {
                recorder.record(v);
            }
        }
        Set<Integer> points = new HashSet<>();
        for (StatePlan s : plan.states()) {
            points.add(s.point().point());
        }
        return new CrashOutcome(plan.states().size(), explored, skipped, points.size(), found, stateOf, explanations);
    }

    private static final class Failure {
        final StatePlan state;
        final Resolution res;
        final Throwable first;
        int count;

        Failure(StatePlan state, Resolution res, Throwable first) {
            this.state = state;
            this.res = res;
            this.first = first;
        }

        StatePlan lossy;
        Resolution lossyRes;
        Throwable lossyFirst;

        /** Counts a failing state; remembers the first one in which some volatile operation did not persist. */
        void add(StatePlan s, Resolution r, Throwable t) {
            count++;
            if (lossy == null && losesSomething(r)) {
                lossy = s;
                lossyRes = r;
                lossyFirst = t;
            }
        }

        /** The state the violation explains and replays: the first that lost something, else the first. */
        StatePlan shown() {
            return lossy != null ? lossy : state;
        }

        Resolution shownRes() {
            return lossy != null ? lossyRes : res;
        }

        Throwable shownThrowable() {
            return lossy != null ? lossyFirst : first;
        }
    }

    private Violation recoveryViolation(Failure f, int ran, CrashExplanation why) {
        Throwable t = f.shownThrowable();
        List<String> frames = new ArrayList<>();
        for (StackTraceElement e : t.getStackTrace()) {
            if (frames.size() == STACK_FRAMES) {
                break;
            }
            frames.add(e.toString());
        }
        String actual = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        Violation v = Violation.of(ViolationKind.CRASH_RECOVERY).at(0, 0, 0)
                .saw(CrashText.RECOVERY_EXPECTED, actual)
                .by(Thread.currentThread().getName(), frames)
                .detail(CrashText.recoveryThrew(f.count, ran) + why.text())
                .build();
        FileLocation at = firstLoss(why);
        return at == null ? v : v.locatedAt(at);
    }

    /**
     * Where the state differs from the run: the first torn write at its first lost byte, else the first dropped or
     * lost operation, else the first path whose persistence was missing. None for a state that lost nothing.
     */
    static FileLocation firstLoss(CrashExplanation why) {
        for (VolatileOperation op : why.torn()) {
            if (!op.path().isEmpty()) {
                return new FileLocation(op.path(), op.offset() + op.keptLength());
            }
        }
        for (VolatileOperation op : why.dropped()) {
            if (!op.path().isEmpty()) {
                return new FileLocation(op.path(), "write".equals(op.op()) ? op.offset() : 0);
            }
        }
        for (MissingPersistence m : why.missing()) {
            if (!m.lostPath().isEmpty()) {
                return new FileLocation(m.lostPath(), 0);
            }
        }
        return null;
    }

    /**
     * A failing state that lost nothing (a crash before the operation that the recovery trips on) often is the same
     * state, image and acknowledgements alike, as the minimal state of a later point where that operation was
     * volatile and dropped; the planner explored it once. The later point explains what was missing, so the
     * violation names it, under the explored state's number.
     */
    private static void explainByAlias(Failure f, CrashPlan plan, CrashStatePlanner planner, CrashLog log) {
        for (CrashPoint p : plan.points()) {
            if (p.point() <= f.state.point().point()) {
                continue;
            }
            VolatileSet set = plan.sets().get(p.point());
            int[] min = set.minimal();
            Resolution r = set.resolve(min);
            if (!losesSomething(r)) {
                continue;
            }
            StateFingerprint fp = StateFingerprint.of(planner.images().build(r), told(log, p.point()));
            if (fp.equals(f.state.fingerprint())) {
                f.lossy = new StatePlan(f.state.index(), p, min, fp);
                f.lossyRes = r;
                f.lossyFirst = f.first;
                return;
            }
        }
    }

    /** How many acknowledgements and claims precede {@code point} (part of a state's fingerprint). */
    private static int told(CrashLog log, int point) {
        int n = 0;
        for (int i = 0; i < point - 1; i++) {
            LogRecord r = log.records().get(i);
            if (r instanceof AckRec || r instanceof LogRecord.ClaimRec) {
                n++;
            }
        }
        return n;
    }

    /** Whether some volatile operation of {@code r} did not persist whole. */
    static boolean losesSomething(Resolution r) {
        for (Fate f : r.fates()) {
            if (f != null && (f.kind() == Fate.Kind.DROPPED || f.kind() == Fate.Kind.TORN
                    || f.kind() == Fate.Kind.LOST)) {
                return true;
            }
        }
        return false;
    }

    /** The recovery's own device violations keep their kinds and say which crash state they were found in. */
    private void tagRecoveryViolations(int state) {
        if (recorder != null) {
            String tag = " [in crash state " + state + "]";
            recorder.setClassifier(v -> new Violation(v.kind(), v.offset(), v.length(), v.lba(), v.expected(),
                    v.actual(), v.firstDiffOffset(), v.thread(), v.submitStack(), v.detail() + tag, v.timeline(),
                    v.location()));
        }
    }

    private void untag() {
        if (recorder != null) {
            recorder.setClassifier(java.util.function.UnaryOperator.identity());
        }
    }

    /** Whether {@code t} is an aborted assumption (JUnit's, by name: the engine does not depend on JUnit). */
    private static boolean isAbort(Throwable t) {
        for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals("org.opentest4j.TestAbortedException")) {
                return true;
            }
        }
        return false;
    }

    /** The keys acknowledged before {@code point}, in acknowledgement order. */
    static Set<String> acknowledged(CrashLog log, int point) {
        Set<String> keys = new LinkedHashSet<>();
        for (int i = 0; i < point - 1; i++) {
            if (log.records().get(i) instanceof AckRec a) {
                keys.add(a.key());
            }
        }
        return keys;
    }

    /** Whether the log holds an operation that changes or syncs the filesystem. */
    static boolean touched(CrashLog log) {
        for (LogRecord r : log.records()) {
            if (r instanceof LogRecord.WriteRec || r instanceof LogRecord.TruncateRec || r instanceof LogRecord.EntryRec
                    || r instanceof LogRecord.SyncRec) {
                return true;
            }
        }
        return false;
    }
}
