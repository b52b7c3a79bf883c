package io.cronstream.ticker;

import io.cronstream.streams.TimeIndex;
import io.cronstream.ticker.job.OverlapPolicy;
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
 *
 * <p>A punctuation is bounded in fires ({@code maxFiresPerPunctuation}) and in time
 * ({@code punctuationTimeBudget}), so it ends well inside its transaction's timeout however much is
 * due: what is left stays due in the index (a job cut short resumes at its first fire left out) and
 * fires on the next punctuation. Each punctuation emits at least one fire, so the ticker always advances.
 * A job that fails to fire is parked, so the others due with it still fire.
 */
final class DueJobs {

    private static final Logger LOG = LoggerFactory.getLogger(DueJobs.class);

    private final JobStore store;
    private final MadeRuns runs;
    private final ScheduleCache schedules;
    private final Emitter emitter;
    private final TickerMetrics metrics;
    private final TickerConfig config;
    private final PunctuationBudget budget;
    /** Fires the current punctuation may still emit. */
    private int firesLeft;
    /** The last punctuation's jobs handled, entries read and whether it was cut, for its summary line. */
    private int jobsHandled;
    private int jobsDue;
    private boolean cut;

    DueJobs(JobStore store, MadeRuns runs, ScheduleCache schedules, Emitter emitter, TickerMetrics metrics,
            TickerConfig config, PunctuationBudget budget) {
        this.store = store;
        this.runs = runs;
        this.schedules = schedules;
        this.emitter = emitter;
        this.metrics = metrics;
        this.config = config;
        this.budget = budget;
    }

    void fire(long nowMs) {
        budget.start();
        firesLeft = config.maxFiresPerPunctuation();
        Instant now = Instant.ofEpochMilli(nowMs);
        List<TimeIndex.Entry> due = store.index().atOrBefore(now, config.maxFiresPerPunctuation());
        metrics.entriesRead(due.size());
        jobsDue = due.size();
        jobsHandled = 0;
        cut = false;
        for (TimeIndex.Entry entry : due) {
            if (firesLeft == 0 || jobsHandled > 0 && budget.spent()) {
                metrics.punctuationCut();
                cut = true;
                LOG.debug("event=punctuation-cut jobsHandled={} jobsDue={} firesLeft={}: the rest fires on the next "
                        + "punctuation", jobsHandled, due.size(), firesLeft);
                return;
            }
            jobsHandled++;
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
        store.save(state, fireDue(state, now, true));
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
     * Used when an edit arrives, so that times that passed are settled under the definition they belong to.
     */
    /** What the last punctuation left of its fires, for the retries that fire after the scheduled fires. */
    int firesLeft() {
        return firesLeft;
    }

    int jobsHandled() {
        return jobsHandled;
    }

    int jobsDue() {
        return jobsDue;
    }

    boolean cut() {
        return cut;
    }

    JobState fireDue(JobState state, Instant now) {
        return fireDue(state, now, false);
    }

    /** {@code inPunctuation}: bounded by the punctuation's fires and time; what is left stays due. */
    private JobState fireDue(JobState state, Instant now, boolean inPunctuation) {
        var job = state.definition();
        JobSchedule schedule = schedules.of(state);
        // a job chained after an unknown job or in a cycle does not fire (the API shows it valid:false)
        java.util.Optional<String> chainProblem = emitter.chainProblem(job);
        boolean blocked = state.blockedByActiveRun() || chainProblem.isPresent();
        FirePlan planned = FirePlan.request()
                .schedule(schedule)
                .firstDue(state.nextFireAt())
                .firesSoFar(state.fireCount())
                .misfirePolicy(job.misfirePolicy())
                .catchupWindow(job.catchupWindow())
                .misfireThreshold(config.misfireThreshold())
                .maxCatchup(config.maxCatchupFiresPerJob())
                .blocked(blocked)
                .oneRun(job.overlapPolicy() == OverlapPolicy.SKIP)
                .now(now)
                .maxFires(inPunctuation ? firesLeft : Integer.MAX_VALUE)
                .plan();
        if (chainProblem.isPresent()) {
            metrics.chainSkipped(planned.missedSkipped());
            JobLog.skipped(job, planned.missedSkipped(), chainProblem.get(), planned.next());
        } else if (blocked) {
            metrics.overlapSkipped(planned.missedSkipped());
            JobLog.skipped(job, planned.missedSkipped(), "previous run " + state.activeRunId()
                    + " is still active (overlap policy SKIP)", planned.next());
        }
        String lastRunId = null;
        int emitted = 0;
        boolean awaitsEnd = emitter.followUp(job);
        for (FirePlan.Fire fire : planned.fires()) {
            if (inPunctuation && emitted > 0 && budget.spent()) {
                break;
            }
            lastRunId = emitter.emit(job, fire.scheduledFor(), fire.trigger(), null, now, planned.next());
            if (awaitsEnd) {
                runs.add(job.jobId(), lastRunId, true, now); // its end comes back and must be known as this job's
            }
            emitted++;
        }
        FirePlan plan = planned.firstFires(emitted);
        if (inPunctuation) {
            firesLeft -= emitted;
        }
        if (plan.overlapSkipped() > 0) {
            metrics.overlapSkipped(plan.overlapSkipped());
            JobLog.skipped(job, plan.overlapSkipped(), "run " + lastRunId + ", fired for an earlier time due with "
                    + "them, is active (overlap policy SKIP)", plan.next());
        }
        if (!blocked && plan.missedSkipped() > 0) {
            metrics.misfiresSkipped(plan.missedSkipped());
            JobLog.skipped(job, plan.missedSkipped(), "missed while not running (misfire policy "
                    + job.misfirePolicy() + ", catch-up window " + job.catchupWindow() + ")", plan.next());
        }
        return state.afterPlan(plan, now, lastRunId);
    }
}
