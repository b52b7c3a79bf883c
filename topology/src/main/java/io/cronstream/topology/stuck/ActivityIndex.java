package io.cronstream.topology.stuck;

import io.cronstream.schemas.RunSnapshot;
import io.cronstream.streams.TimeIndex;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The {@code progress-run-activity} store: one entry per watched run, keyed by the big-endian instant at
 * which the run's silence becomes too long (to the second: {@link #indexedAt}), then the runId. That instant is the last activity shifted by
 * the run's own threshold ({@code lastActivityAt + stuckAfter}, or {@code + failAfter} once stuck), so
 * runs with different thresholds sort together and a scan reads exactly the stale ones: O(stuck), not
 * O(runs). A run with a {@code runTimeout} or a {@code startDeadline} (DESIGN §12) sits at the earliest of those
 * deadlines and its stall's, so one scan serves all three. Finished runs, and stuck runs that can no longer fail
 * nor time out, have no entry.
 */
public final class ActivityIndex {

    private final TimeIndex index;

    public ActivityIndex(KeyValueStore<Bytes, byte[]> store) {
        this.index = new TimeIndex(store);
    }

    /**
     * When the run needs a look, if it is watched at all: the earliest of its stall deadline, its start deadline
     * (until MISSED is raised or a worker event arrives) and its timeout. The scan then applies whatever of them
     * has passed, and the run moves on to its next deadline, so a scan still reads only runs with something due.
     */
    public static Optional<Instant> deadline(RunSnapshot run) {
        if (run.status().terminal()) {
            return Optional.empty();
        }
        return earliest(earliest(stallDeadline(run), startDeadline(run)), timeoutDeadline(run));
    }

    /** When the run's silence becomes a stall, or (once stuck) a failure; none for a stuck run without failAfter. */
    public static Optional<Instant> stallDeadline(RunSnapshot run) {
        if (!run.stuck()) {
            return Optional.of(run.lastActivityAt().plus(run.stuckAfter()));
        }
        return Optional.ofNullable(run.failAfter()).map(run.lastActivityAt()::plus);
    }

    /** When no worker event since the due event becomes a missed start; none once raised or once one arrived. */
    public static Optional<Instant> startDeadline(RunSnapshot run) {
        if (run.startDeadline() == null || run.lastEventAt() != null || run.missedAt() != null) {
            return Optional.empty();
        }
        return Optional.of(run.createdAt().plus(run.startDeadline()));
    }

    /** When the run has run too long: {@code runTimeout} after its start (as the worker reported it) or creation. */
    public static Optional<Instant> timeoutDeadline(RunSnapshot run) {
        if (run.runTimeout() == null) {
            return Optional.empty();
        }
        Instant began = run.startedAt() != null ? run.startedAt() : run.createdAt();
        return Optional.of(began.plus(run.runTimeout()));
    }

    private static Optional<Instant> earliest(Optional<Instant> a, Optional<Instant> b) {
        if (a.isEmpty()) {
            return b;
        }
        return b.isPresent() && b.get().isBefore(a.get()) ? b : a;
    }

    /**
     * Where the run's entry is: its {@link #deadline} truncated to the second. A busy run's deadline moves with
     * every event; to the second, its entry moves at most once a second (not once per event, each move being a
     * delete and a put in the store and its changelog). A scan reads the entries of the current second whose exact
     * deadline has not passed yet too, and leaves them be ({@link #due}).
     */
    public static Optional<Instant> indexedAt(RunSnapshot run) {
        return deadline(run).map(ActivityIndex::bucket);
    }

    static Instant bucket(Instant deadline) {
        return deadline.truncatedTo(ChronoUnit.SECONDS);
    }

    /**
     * Whether {@code entry} is the run's entry: at its {@link #indexedAt}, or (written before entries were truncated
     * to the second) at its exact deadline. Anything else was left behind by a change that moved the run.
     */
    public static boolean isEntryOf(TimeIndex.Entry entry, RunSnapshot run) {
        Optional<Instant> deadline = run == null ? Optional.empty() : deadline(run);
        return deadline.isPresent()
                && (entry.at().equals(bucket(deadline.get())) || entry.at().equals(deadline.get()));
    }

    /** Whether the run's deadline has passed at {@code now} (strictly: a silence longer than the threshold). */
    public static boolean due(RunSnapshot run, Instant now) {
        return deadline(run).map(deadline -> deadline.isBefore(now)).orElse(false);
    }

    /** Keeps the index in step with a run that changed from {@code before} (null: new) to {@code after}. */
    public void update(RunSnapshot before, RunSnapshot after) {
        Optional<Instant> was = before == null ? Optional.empty() : indexedAt(before);
        Optional<Instant> is = indexedAt(after);
        if (was.equals(is)) {
            return;
        }
        was.ifPresent(at -> index.remove(at, after.runId()));
        is.ifPresent(at -> index.put(at, after.runId()));
    }

    /**
     * Moves an entry written at the run's exact deadline (before entries were truncated to the second) to where
     * {@link #update} looks for it; nothing for an entry already there.
     */
    public void normalize(TimeIndex.Entry entry, RunSnapshot run) {
        Optional<Instant> at = indexedAt(run);
        if (at.isPresent() && !at.get().equals(entry.at())) {
            index.remove(entry.at(), entry.id());
            index.put(at.get(), entry.id());
        }
    }

    /** Removes an entry (its {@code id} is the runId, {@code at} the deadline). */
    public void remove(TimeIndex.Entry entry) {
        index.remove(entry.at(), entry.id());
    }

    /**
     * Entries whose deadline may have passed (indexed strictly before {@code now}: a run is stuck after a silence
     * <em>longer</em> than its threshold), earliest first, at most {@code limit}. Those of {@code now}'s second may
     * still be ahead of their exact deadline: the caller checks {@link #due}.
     */
    public List<TimeIndex.Entry> passedBefore(Instant now, int limit) {
        return index.before(now, limit);
    }
}
