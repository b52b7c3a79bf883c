package io.cronstream.ticker;

import io.cronstream.ticker.schedule.JobSchedule;
import java.time.Instant;
import java.util.List;
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
 */
final class DueJobs {

    private static final Logger LOG = LoggerFactory.getLogger(DueJobs.class);

    private final JobStore store;
    private final ScheduleCache schedules;
    private final Emitter emitter;
    private final TickerMetrics metrics;
    private final TickerConfig config;
    private final PunctuationBudget budget;
    private int firesLeft;

    DueJobs(JobStore store, ScheduleCache schedules, Emitter emitter, TickerMetrics metrics, TickerConfig config,
            PunctuationBudget budget) {
        this.store = store;
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
        List<ScheduleIndex.Entry> due = store.index().due(now, config.maxFiresPerPunctuation());
        metrics.entriesRead(due.size());
        int handled = 0;
        for (ScheduleIndex.Entry entry : due) {
            if (firesLeft == 0 || handled > 0 && budget.spent()) {
                metrics.punctuationCut();
                LOG.info("event=punctuation-cut jobsHandled={} jobsDue={} firesLeft={}: the rest fires on the next "
                        + "punctuation", handled, due.size(), firesLeft);
                return;
            }
            handled++;
            JobState state = store.get(entry.jobId());
            if (state == null || !entry.dueAt().equals(state.nextFireAt())) {
                LOG.warn("event=index-repair jobId={} dueAt={}: index entry had no matching job state",
                        entry.jobId(), entry.dueAt());
                store.index().remove(entry.dueAt(), entry.jobId());
                continue;
            }
            fire(state, now);
        }
    }

    private void fire(JobState state, Instant now) {
        var job = state.definition();
        JobSchedule schedule = schedules.of(state);
        boolean blocked = state.blockedByActiveRun();
        FirePlan planned = FirePlan.plan(schedule, state.nextFireAt(), state.fireCount(), job.misfirePolicy(),
                job.catchupWindow(), config.misfireThreshold(), config.maxCatchupFiresPerJob(), blocked, now,
                firesLeft);
        if (blocked) {
            metrics.overlapSkipped(planned.missedSkipped());
            JobLog.skipped(job, planned.missedSkipped(), "previous run " + state.activeRunId()
                    + " is still active (overlap policy SKIP)", planned.next());
        }
        String lastRunId = null;
        int emitted = 0;
        for (FirePlan.Fire fire : planned.fires()) {
            if (emitted > 0 && budget.spent()) {
                break;
            }
            lastRunId = emitter.emit(job, fire.scheduledFor(), fire.trigger(), null, now, planned.next());
            emitted++;
        }
        FirePlan plan = planned.firstFires(emitted);
        firesLeft -= emitted;
        if (!blocked && plan.missedSkipped() > 0) {
            metrics.misfiresSkipped(plan.missedSkipped());
            JobLog.skipped(job, plan.missedSkipped(), "missed while not running (misfire policy "
                    + job.misfirePolicy() + ", catch-up window " + job.catchupWindow() + ")", plan.next());
        }
        store.save(state, state.afterPlan(plan, now, lastRunId));
    }
}
