package io.cronstream.topology.runs;

import io.cronstream.schemas.Alert;
import io.cronstream.schemas.DeadLetter;
import io.cronstream.schemas.RunControl;
import io.cronstream.schemas.StuckAlert;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.Printable;
import io.cronstream.streams.DeadLetters;
import io.cronstream.streams.PromptCommits;
import io.cronstream.streams.Routed;
import io.cronstream.schemas.RunSnapshot;
import io.cronstream.schemas.StageProgressEvent;
import io.cronstream.topology.Origin;
import io.cronstream.topology.ProgressConfig;
import io.cronstream.topology.ProgressTopology;
import io.cronstream.topology.retention.ExpiryIndex;
import io.cronstream.topology.retention.RetentionSweep;
import io.cronstream.topology.stuck.ActivityIndex;
import io.cronstream.topology.stuck.StuckAlerts;
import io.cronstream.topology.stuck.StuckIndex;
import io.cronstream.topology.stuck.StuckScan;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Owns the runs: folds due events, worker events and added work into {@code progress-runs}, keeps the
 * activity and expiry indexes in step, and on wall-clock punctuators flags (and, with failAfter, fails) runs
 * that went quiet, times out runs past their runTimeout, raises MISSED for runs no worker picked up within their
 * startDeadline, and removes finished runs whose retention has passed. Publishes a run whenever its status or stuck
 * flag changes, it misses its start, or its job becomes known; raises the alerts of DESIGN §12 on cronstream.alerts
 * (see {@link RunAlerts}) and a CANCEL on run-control for each run that timed out.
 */
public final class RunProcessor implements Processor<String, RunInput, String, Routed<RunOutput>> {

    private static final Logger LOG = LoggerFactory.getLogger(RunProcessor.class);

    private final ProgressConfig config;
    private ProcessorContext<String, Routed<RunOutput>> context;
    private RunStore runs;
    private RunEventIds eventIds;
    private ActivityIndex activity;
    private StuckScan stuckScan;
    private ExpiryIndex expiry;
    private RetentionSweep retentionSweep;
    private RunCounts counts;
    private StuckIndex stuckIndex;
    private RecentRuns recent;
    /** What a reader waits for (a new status, an alert, a cancel) is committed soon; counts at the commit interval. */
    private PromptCommits commits;

    public RunProcessor(ProgressConfig config) {
        this.config = config;
    }

    @Override
    public void init(ProcessorContext<String, Routed<RunOutput>> context) {
        this.context = context;
        this.commits = PromptCommits.schedule(context);
        this.runs = new RunStore(context.getStateStore(ProgressTopology.RUNS_STORE));
        this.eventIds = new RunEventIds(context.getStateStore(ProgressTopology.RUN_EVENT_IDS_STORE));
        KeyValueStore<Bytes, byte[]> index = context.getStateStore(ProgressTopology.RUN_ACTIVITY_STORE);
        this.activity = new ActivityIndex(index);
        this.stuckScan = new StuckScan(context, activity, config.maxStuckPerScan(), config.scanTimeBudget());
        context.schedule(config.stuckScanInterval(), PunctuationType.WALL_CLOCK_TIME,
                millis -> scanForStalls(Instant.ofEpochMilli(context.currentSystemTimeMs())));
        KeyValueStore<String, Long> countStore = context.getStateStore(ProgressTopology.RUN_COUNTS_STORE);
        this.counts = new RunCounts(countStore);
        KeyValueStore<String, Long> stuckStore = context.getStateStore(ProgressTopology.STUCK_INDEX_STORE);
        this.stuckIndex = new StuckIndex(stuckStore);
        this.recent = new RecentRuns(context.getStateStore(ProgressTopology.RUNS_BY_UPDATE_STORE));
        counts.countOnce(runs.store(), run -> {
            stuckIndex.update(null, run);
            recent.update(null, run);
        });
        KeyValueStore<Bytes, byte[]> expiryStore = context.getStateStore(ProgressTopology.RUN_EXPIRY_STORE);
        this.expiry = new ExpiryIndex(expiryStore, config.runRetention());
        this.retentionSweep = new RetentionSweep(context, StuckScan.METRICS_SCOPE, expiry, config.maxStuckPerScan());
        context.schedule(config.stuckScanInterval(), PunctuationType.WALL_CLOCK_TIME,
                millis -> expireFinished(Instant.ofEpochMilli(context.currentSystemTimeMs())));
    }

    @Override
    public void process(Record<String, RunInput> record) {
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        RunInput input = record.value();
        RunSnapshot before = runs.get(input.runId());
        if (input.due() != null) {
            onDue(before, input.due(), now, record.timestamp());
        } else if (input.progress() != null) {
            onProgress(before, input.progress(), input.origin(), now, record.timestamp());
        } else {
            onWork(before, input.work(), now, record.timestamp());
        }
    }

    private void onDue(RunSnapshot before, DueEvent due, Instant now, long timestamp) {
        if (before != null && before.trigger() != null) {
            return; // the same fire delivered again
        }
        RunDraft run = before == null ? newRun(due.runId(), now) : RunDraft.of(before);
        RunRules.applyDue(run, due, Objects.requireNonNullElse(due.stuckAfter(), config.defaultStuckAfter()),
                due.failAfter() != null ? due.failAfter() : config.defaultFailAfter(), now);
        save(before, run.snapshot(), now, timestamp);
    }

    private void onProgress(RunSnapshot before, StageProgressEvent event, Origin origin, Instant now, long timestamp) {
        if (event.eventId() != null && eventIds.counted(event.runId(), RunEventIds.Source.PROGRESS, event.eventId())) {
            LOG.debug("event=duplicate-event runId={} eventId={}", event.runId(), event.eventId());
            return;
        }
        RunDraft run = before == null ? newRun(event.runId(), now) : RunDraft.of(before);
        Optional<String> rejection = RunRules.rejection(run, event, config.maxStagesPerRun());
        if (rejection.isPresent()) {
            deadLetter(origin, rejection.get(), now, timestamp);
            return;
        }
        RunRules.applyProgress(run, event, now);
        if (event.eventId() != null) {
            eventIds.remember(event.runId(), RunEventIds.Source.PROGRESS, event.eventId());
        }
        save(before, run.snapshot(), now, timestamp);
    }

    /**
     * Work goes to a run Cronstream knows (its due event or a worker's event came first): a file change naming any
     * other run would start a run nobody runs, PENDING for good. Such work is refused with a log line; the change
     * itself stays in its library's pending set.
     */
    private void onWork(RunSnapshot before, RunWork work, Instant now, long timestamp) {
        if (before == null) {
            LOG.warn("event=work-for-unknown-run runId={} cause=\"{}\": no due event or worker event named this run",
                    Printable.escape(work.runId()), Printable.escape(work.cause()));
            return;
        }
        if (work.eventId() != null && eventIds.counted(work.runId(), RunEventIds.Source.FILE_CHANGE, work.eventId())) {
            LOG.debug("event=duplicate-work runId={} eventId={}", work.runId(), work.eventId());
            return;
        }
        RunDraft run = RunDraft.of(before);
        if (!RunRules.applyWork(run, work, now)) {
            RunSnapshot finished = run.current();
            LOG.warn("event=work-for-finished-run runId={} jobId={} status={} cause=\"{}\"", finished.runId(),
                    finished.jobId(), finished.status(), Printable.escape(work.cause()));
            return;
        }
        if (work.eventId() != null) {
            eventIds.remember(work.runId(), RunEventIds.Source.FILE_CHANGE, work.eventId());
        }
        save(before, run.snapshot(), now, timestamp);
    }

    private void scanForStalls(Instant now) {
        stuckScan.run(now, entry -> {
            RunSnapshot before = runs.get(entry.id());
            if (!ActivityIndex.isEntryOf(entry, before)) {
                activity.remove(entry); // left behind by a change that moved the run; nothing to flag
                return;
            }
            activity.normalize(entry, before);
            if (!ActivityIndex.due(before, now)) {
                return; // indexed in this second, due later in it
            }
            RunDraft run = RunDraft.of(before);
            if (RunRules.timedOut(run, now)) {
                RunRules.failTimedOut(run, now);
                LOG.warn("event=run-timed-out runId={} jobId={} runTimeout={} startedAt={} createdAt={}",
                        before.runId(), before.jobId(), before.runTimeout(), before.startedAt(), before.createdAt());
            } else {
                if (RunRules.missedStart(run, now)) {
                    RunRules.markMissed(run, now);
                    LOG.warn("event=missed-start runId={} jobId={} startDeadline={} createdAt={}", before.runId(),
                            before.jobId(), before.startDeadline(), before.createdAt());
                }
                if (RunRules.stallBegan(run, now)) {
                    RunRules.markStuck(run, now);
                }
                if (RunRules.stalledTooLong(run, now)) {
                    RunRules.failStalled(run, now);
                    LOG.warn("event=stall-failed runId={} jobId={} idleFor={} failAfter={}", before.runId(),
                            before.jobId(), Duration.between(before.lastActivityAt(), now), before.failAfter());
                }
            }
            save(before, run.snapshot(), now, now.toEpochMilli());
        });
    }

    /**
     * Removes every finished run whose retention has passed, with everything keyed by it; deletes are
     * tombstones in the changelogs, so those compact too. A finished run has no activity entry
     * ({@link ActivityIndex#deadline}), so there is none to remove. Its job's history keeps it regardless.
     */
    private void expireFinished(Instant now) {
        retentionSweep.run(now, entry -> {
            RunSnapshot run = runs.get(entry.id());
            expiry.remove(entry);
            if (run == null || !expiry.expiresAt(run).equals(Optional.of(entry.at()))) {
                return; // left behind by a change that moved the run
            }
            runs.delete(run.runId());
            counts.update(run, null);
            stuckIndex.update(run, null);
            recent.update(run, null);
            eventIds.forgetRun(run.runId());
            LOG.debug("event=run-expired runId={} jobId={} status={} updatedAt={}", run.runId(), run.jobId(),
                    run.status(), run.updatedAt());
        });
    }

    /** Stores the run, moves its index entries, and publishes what changed. */
    private void save(RunSnapshot before, RunSnapshot after, Instant now, long timestamp) {
        runs.put(after);
        activity.update(before, after);
        expiry.update(before, after);
        counts.update(before, after);
        stuckIndex.update(before, after);
        recent.update(before, after);
        Optional<StuckAlert> stall = StuckAlerts.between(before, after, now);
        stall.ifPresent(alert -> publish(after.runId(), new RunOutput.Alert(alert), timestamp));
        for (Alert alert : RunAlerts.between(before, after, stall, now)) {
            raise(alert, timestamp);
        }
        if (RunRules.TIMED_OUT.equals(after.failureReason()) && (before == null || before.failureReason() == null)) {
            RunControl cancel = RunControl.cancel(after.runId(), after.jobId(), after.message(), now);
            publish(after.runId(), new RunOutput.Control(cancel), timestamp);
        }
        if (isTransition(before, after)) {
            LOG.info("event=run-status runId={} jobId={} from={} to={} stuck={} trigger={}", after.runId(),
                    after.jobId(), before == null ? "NEW" : before.status(), after.status(), after.stuck(),
                    after.trigger());
            publish(after.runId(), new RunOutput.Status(after), timestamp);
        }
    }

    /**
     * Publishes an alert on cronstream.alerts (key jobId) unless the run has raised its kind before: the ledger
     * lives with the run's eventIds, so it goes when the run does, and it holds across stalls and restarts.
     */
    private void raise(Alert alert, long timestamp) {
        String kind = alert.kind().name();
        if (eventIds.counted(alert.runId(), RunEventIds.Source.ALERT, kind)) {
            LOG.debug("event=alert-already-raised runId={} kind={}", alert.runId(), kind);
            return;
        }
        eventIds.remember(alert.runId(), RunEventIds.Source.ALERT, kind);
        LOG.info("event=alert kind={} jobId={} runId={} attempt={}", kind, alert.jobId(), alert.runId(),
                alert.attempt());
        publish(alert.jobId(), new RunOutput.Notice(alert), timestamp);
    }

    /** Forwards output a reader waits for, and asks for its commit soon. */
    private void publish(String key, RunOutput output, long timestamp) {
        context.forward(new Record<>(key, Routed.value(output), timestamp));
        commits.soon();
    }

    /**
     * What run-status carries: status and stuck changes, a missed start, the moment a run's job becomes known, the
     * moment the ticker turns out to wait for a run's end (a due event after the run ended), so it hears of it, and
     * the worker's final word (result, error, message) arriving after the run ended (completed on its last item,
     * failed by Cronstream), so the job's history shows it too. The last republishes a finished run: a RUN_FINISHED
     * sent again is one the ticker already tells apart.
     */
    private static boolean isTransition(RunSnapshot before, RunSnapshot after) {
        return before == null
                || before.status() != after.status()
                || before.stuck() != after.stuck()
                || (before.missedAt() == null && after.missedAt() != null)
                || (before.jobId() == null && after.jobId() != null)
                || (!before.reportsEnd() && after.reportsEnd())
                || RunRules.finalWordArrived(before, after);
    }

    private RunDraft newRun(String runId, Instant now) {
        return RunDraft.create(runId, now, config.defaultStuckAfter(), config.defaultFailAfter());
    }

    private void deadLetter(Origin origin, String reason, Instant now, long timestamp) {
        DeadLetter letter = origin.deadLetter(reason, now);
        DeadLetters.log(letter, Level.WARN);
        context.forward(new Record<>(null, Routed.dead(letter), timestamp, letter.toHeaders()));
    }

    @Override
    public void close() {
        runs.clear();
        stuckScan.close();
        retentionSweep.close();
    }
}
