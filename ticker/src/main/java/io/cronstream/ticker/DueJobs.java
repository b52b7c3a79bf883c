package io.cronstream.ticker;

import io.cronstream.ticker.schedule.JobSchedule;
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
        List<ScheduleIndex.Entry> due = store.index().due(now, config.maxFiresPerPunctuation());
        metrics.entriesRead(due.size());
        for (ScheduleIndex.Entry entry : due) {
            try {
                fire(entry, now);
            } catch (StreamsException taskTrouble) {
                throw taskTrouble; // a store or the producer failed: the task's problem, not this job's
            } catch (RuntimeException e) {
                park(entry, e, now);
            }
        }
    }

    private void fire(ScheduleIndex.Entry entry, Instant now) {
        JobState state = store.get(entry.jobId());
        if (state == null || !entry.dueAt().equals(state.nextFireAt())) {
            LOG.warn("event=index-repair jobId={} dueAt={}: index entry had no matching job state",
                    entry.jobId(), entry.dueAt());
            store.index().remove(entry.dueAt(), entry.jobId());
            return;
        }
        fire(state, now);
    }

    /**
     * One job failed to fire: take it off the schedule with the reason, so the other jobs due now still fire and
     * it does not fail again at every punctuation. A new version of its document schedules it again.
     */
    private void park(ScheduleIndex.Entry entry, RuntimeException e, Instant now) {
        String why = "parked at " + now + ": firing failed with " + e.getClass().getName() + ": " + e.getMessage()
                + "; write the definition again to reschedule it";
        metrics.parked();
        JobLog.parked(entry.jobId(), why);
        store.index().remove(entry.dueAt(), entry.jobId());
        JobState state;
        try {
            state = store.get(entry.jobId());
        } catch (StreamsException taskTrouble) {
            throw taskTrouble;
        } catch (RuntimeException unreadable) {
            return; // the state cannot be read; with its index entry gone it cannot fail again
        }
        if (state != null) {
            store.save(state, state.parked(why, now));
        }
    }

    private void fire(JobState state, Instant now) {
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
        store.save(state, state.afterPlan(plan, now, lastRunId));
    }
}
