package io.cronstream.ticker;

import io.cronstream.streams.TimeIndex;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runs the ticker made, per job: {@code ticker-runs} ({@code jobId NUL runId} → {@link MadeRun}) and its
 * retention index {@code ticker-runs-expiry} (a {@link TimeIndex} of each entry's {@code keptUntil}).
 *
 * <p>What it answers: whether a manual, chained or retry run was made already (a redelivered command, a retried
 * request, an upstream's end seen twice make one run), and whether a run's end is one the ticker should act on: only
 * a run it made for that job, and only its first end (a status delivered twice counts once; a retry's end before the
 * retry fired is nobody's). Which runs are kept: every manual, chained and retry run (a retry from when it is
 * scheduled), and every run whose end the ticker awaits ({@code followUp}); a scheduled run of a job that awaits
 * nothing needs no entry, its id names its fire time.
 *
 * <p>Retention: an entry is kept {@code runRetention} after the run was made, or after its end when the ticker hears
 * of it, as long as progress keeps the run. A run whose end is awaited and not heard yet is kept on: its entry is
 * renewed when its time comes, so however long it runs its end still counts. Both stores are changelogged and
 * changed inside the task's exactly-once transaction with what they decide about.
 */
final class MadeRuns {

    private static final Logger LOG = LoggerFactory.getLogger(MadeRuns.class);
    private static final char SEPARATOR = '\u0000';
    /** Entries one sweep removes even when the punctuation's time is spent: a few milliseconds. */
    static final int SWEPT_ANYWAY = 1_000;

    /**
     * @param keptUntil when the entry goes (its instant in the expiry index)
     * @param awaitsEnd whether the run's end comes back to the ticker (its due event asked for a follow-up)
     * @param waiting   a retry scheduled and not fired yet
     * @param ended     how it ended (COMPLETED, FAILED, ...; {@value #DROPPED} for a retry dropped before it fired),
     *                  null while the ticker has not heard
     */
    record MadeRun(Instant keptUntil, boolean awaitsEnd, boolean waiting, String ended) {
    }

    static final String DROPPED = "DROPPED";

    /** What a run's end is to the ticker. */
    enum End {
        /** the first end heard of a run the ticker made for this job: act on it */
        FIRST,
        /** heard before: act on nothing */
        REPEATED,
        /** a retry that has not fired yet: nobody ran it, act on nothing */
        NOT_MADE_YET,
        /** no entry: not a run the ticker made for this job, or one made before this store existed */
        UNKNOWN
    }

    private final KeyValueStore<String, MadeRun> runs;
    private final TimeIndex expiry;
    private final Duration retention;

    MadeRuns(ProcessingContext context, Duration retention) {
        this.runs = context.getStateStore(TickerTopology.RUNS_STORE);
        this.expiry = new TimeIndex(context.getStateStore(TickerTopology.RUNS_EXPIRY_STORE));
        this.retention = retention;
    }

    boolean made(String jobId, String runId) {
        return runs.get(key(jobId, runId)) != null;
    }

    /** Remembers a run just emitted (a retry that was waiting, too). */
    void add(String jobId, String runId, boolean awaitsEnd, Instant now) {
        String key = key(jobId, runId);
        put(key, runs.get(key), new MadeRun(now.plus(retention), awaitsEnd, false, null));
    }

    /** Remembers a retry just scheduled: its id is taken, its end is nobody's until it fires. */
    void addWaiting(String jobId, String runId, Instant now) {
        put(key(jobId, runId), null, new MadeRun(now.plus(retention), true, true, null));
    }

    /** A waiting retry that will not fire: it goes with the retention, like an ended run. */
    void dropped(String jobId, String runId, Instant now) {
        String key = key(jobId, runId);
        MadeRun run = runs.get(key);
        if (run != null) {
            put(key, run, new MadeRun(now.plus(retention), run.awaitsEnd(), false, DROPPED));
        }
    }

    /** Records that {@code runId} of {@code jobId} ended with {@code status}, and says what that end is. */
    End end(String jobId, String runId, String status, Instant now) {
        String key = key(jobId, runId);
        MadeRun run = runs.get(key);
        if (run == null) {
            return End.UNKNOWN;
        }
        if (run.waiting()) {
            return End.NOT_MADE_YET;
        }
        if (run.ended() != null) {
            return End.REPEATED;
        }
        put(key, run, new MadeRun(now.plus(retention), run.awaitsEnd(), false, status));
        return End.FIRST;
    }

    /**
     * Removes the entries whose time has come before {@code now}, at most {@code limit}, and past the first
     * {@value #SWEPT_ANYWAY} only while {@code budget} lasts (so a busy ticker still keeps up with what it makes); an
     * awaited run not ended yet is kept for another retention.
     */
    void sweep(Instant now, int limit, PunctuationBudget budget) {
        List<TimeIndex.Entry> due = expiry.before(now, limit);
        for (int i = 0; i < due.size(); i++) {
            if (i >= SWEPT_ANYWAY && budget.spent()) {
                return; // the rest on the next punctuation: nothing waits for it
            }
            TimeIndex.Entry entry = due.get(i);
            MadeRun run = runs.get(entry.id());
            if (run != null && run.keptUntil().equals(entry.at()) && run.awaitsEnd() && run.ended() == null) {
                put(entry.id(), run, new MadeRun(now.plus(retention), true, run.waiting(), null));
                LOG.debug("event=run-kept key=\"{}\": its end is awaited", printable(entry.id()));
            } else {
                expiry.remove(entry.at(), entry.id());
                if (run != null && run.keptUntil().equals(entry.at())) {
                    runs.delete(entry.id());
                }
            }
        }
    }

    private void put(String key, MadeRun previous, MadeRun run) {
        if (previous != null) {
            expiry.remove(previous.keptUntil(), key);
        }
        expiry.put(run.keptUntil(), key);
        runs.put(key, run);
    }

    private static String key(String jobId, String runId) {
        return jobId + SEPARATOR + runId;
    }

    private static String printable(String key) {
        return key.replace(SEPARATOR, ' ');
    }
}
