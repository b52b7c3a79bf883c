package io.cronstream.ticker;

import io.cronstream.ticker.schedule.JobSchedule;
import io.cronstream.streams.TimeIndex;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.errors.StreamsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wall-clock punctuation: reads what is due from the schedule index and fires it. Runs inside
 * the task's transaction, so the due events and the moved index entries commit together: a fire
 * is never emitted twice and never lost.
 */
final class DueJobs {

    private static final Logger LOG = LoggerFactory.getLogger(DueJobs.class);

    private final JobStore store;
    private final ScheduleCache schedules;
    private final Emitter emitter;
    private final TickerMetrics metrics;
    private final TickerConfig config;

    DueJobs(JobStore store, ScheduleCache schedules, Emitter emitter, TickerMetrics metrics, TickerConfig config) {
        this.store = store;
        this.schedules = schedules;
        this.emitter = emitter;
        this.metrics = metrics;
        this.config = config;
    }

    void fire(long nowMs) {
        Instant now = Instant.ofEpochMilli(nowMs);
        List<TimeIndex.Entry> due = store.index().atOrBefore(now, config.maxFiresPerPunctuation());
        metrics.entriesRead(due.size());
        for (TimeIndex.Entry entry : due) {
            try {
                fire(entry, now);
            } catch (StreamsException taskTrouble) {
                throw taskTrouble; // a store or the producer failed: the task's problem, not this job's
            } catch (RuntimeException e) {
                park(entry, e, now);
            }
        }
    }

    private void fire(TimeIndex.Entry entry, Instant now) {
        JobState state = store.get(entry.id());
        if (state == null || !entry.at().equals(state.nextFireAt())) {
            LOG.warn("event=index-repair jobId={} dueAt={}: index entry had no matching job state",
                    entry.id(), entry.at());
            store.index().remove(entry.at(), entry.id());
            return;
        }
        store.save(state, fireDue(state, now));
    }

    /**
     * One job failed to fire: take it off the schedule with the reason, so the other jobs due now still fire and
     * it does not fail again at every punctuation. A new version of its document schedules it again.
     */
    private void park(TimeIndex.Entry entry, RuntimeException e, Instant now) {
        String why = "parked at " + now + ": firing failed with " + e.getClass().getName() + ": " + e.getMessage()
                + "; write the definition again to reschedule it";
        metrics.parked();
        JobLog.parked(entry.id(), why);
        store.index().remove(entry.at(), entry.id());
        JobState state;
        try {
            state = store.get(entry.id());
        } catch (StreamsException taskTrouble) {
            throw taskTrouble;
        } catch (RuntimeException unreadable) {
            return; // the state cannot be read; with its index entry gone it cannot fail again
        }
        if (state != null) {
            store.save(state, state.parked(why, now));
        }
    }

    /**
     * Emits what is due of one job up to {@code now} (its misfire and overlap policies decide which times fire;
     * each time they drop is logged and counted) and returns the job's state after it; the caller stores it.
     */
    JobState fireDue(JobState state, Instant now) {
        var job = state.definition();
        JobSchedule schedule = schedules.of(state);
        boolean blocked = state.blockedByActiveRun();
        FirePlan plan = FirePlan.plan(schedule, state.nextFireAt(), state.fireCount(), job.misfirePolicy(),
                job.catchupWindow(), config.misfireThreshold(), config.maxCatchupFiresPerJob(), blocked, now);
        if (blocked) {
            metrics.overlapSkipped(plan.missedSkipped());
            JobLog.skipped(job, plan.missedSkipped(), "previous run " + state.activeRunId()
                    + " is still active (overlap policy SKIP)", plan.next());
        }
        String lastRunId = null;
        for (FirePlan.Fire fire : plan.fires()) {
            lastRunId = emitter.emit(job, fire.scheduledFor(), fire.trigger(), null, now, plan.next());
        }
        if (!blocked && plan.missedSkipped() > 0) {
            metrics.misfiresSkipped(plan.missedSkipped());
            JobLog.skipped(job, plan.missedSkipped(), "missed while not running (misfire policy "
                    + job.misfirePolicy() + ", catch-up window " + job.catchupWindow() + ")", plan.next());
        }
        return state.afterPlan(plan, now, lastRunId);
    }
}
