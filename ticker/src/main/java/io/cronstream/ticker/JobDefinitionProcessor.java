package io.cronstream.ticker;

import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.InvalidRecordException;
import io.cronstream.streams.RepartitionGate;
import io.cronstream.streams.Routed;
import io.cronstream.ticker.JobLog.Event;
import io.cronstream.ticker.job.JobDefinition;
import io.cronstream.ticker.job.JobDefinitionParser;
import io.cronstream.ticker.job.JobFingerprint;
import io.cronstream.ticker.job.OversizedDocument;
import io.cronstream.ticker.job.ParsedJob;
import java.time.Instant;
import java.util.Objects;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Applies job definitions from the jobs topic to {@code ticker-jobs} with the reload semantics of
 * seed 000 (new → registered, schedule changed → rescheduled from now, disabled → no fires,
 * re-enabled → from now, deleted → removed), and owns the task's fire punctuation. A fire time that
 * has passed when a change arrives (the punctuation that would emit it has not run yet) is dealt with
 * under the old definition first, as that punctuation would have, so an edit never loses a fire. A document
 * too large, or an update that cannot be read, stops its job ({@code valid: false} with the reason) rather than
 * leave it firing under its old definition. Each job's last applied record is kept in {@link JobSources}.
 */
final class JobDefinitionProcessor implements Processor<byte[], byte[], String, Routed<TickerOutput>> {

    private static final int SCHEDULE_CACHE_SIZE = 10_000;
    /** Jobs from before the job graph whose graph records one punctuation writes, at most. */
    private static final int GRAPH_BACKFILL_PER_PUNCTUATION = 5_000;
    private static final org.slf4j.Logger AUTO_PAUSE_LOG = org.slf4j.LoggerFactory.getLogger(RunEnds.class);
    /** Removed jobs' sources one punctuation forgets, at most (they expire an hour after the removal). */
    private static final int EXPIRED_SOURCES_PER_PUNCTUATION = 1_000;

    private final TickerConfig config;
    private final PunctuationBudget budget;
    private final JobDefinitionParser parser;
    private ProcessorContext<String, Routed<TickerOutput>> context;
    private JobStore store;
    private JobSources sources;
    private TickerMetrics metrics;
    private Emitter emitter;
    private ChainedJobs chained;
    private DueJobs dueJobs;
    private PendingRetries retries;
    private MadeRuns runs;
    private Cancellable punctuation;
    /** Jobs registered since the last punctuation's summary line. */
    private long registered;

    JobDefinitionProcessor(TickerConfig config, PunctuationBudget budget) {
        this.config = config;
        this.budget = budget;
        this.parser = new JobDefinitionParser(config.jobDefaults());
    }

    @Override
    public void init(ProcessorContext<String, Routed<TickerOutput>> context) {
        this.context = context;
        this.store = new JobStore(context);
        this.sources = new JobSources(context);
        this.metrics = new TickerMetrics(context.metrics(), context.taskId().toString(), "jobs");
        this.chained = ChainedJobs.of(context, (command, at) -> emitter.command(command, at));
        this.emitter = new Emitter(context, metrics, chained);
        this.runs = new MadeRuns(context, config.runRetention());
        this.dueJobs = new DueJobs(store, runs, new ScheduleCache(SCHEDULE_CACHE_SIZE), emitter, metrics, config,
                budget);
        this.retries = new PendingRetries(context, store, runs, emitter, metrics);
        GraphBackfill backfill = new GraphBackfill(context.getStateStore(TickerTopology.JOBS_STORE),
                context.getStateStore(TickerTopology.NAMES_STORE), chained, emitter::graphEdge);
        backfill.skipIfNoJobs();
        this.punctuation = context.schedule(config.punctuateEvery(), PunctuationType.WALL_CLOCK_TIME, nowMs -> {
            long started = System.nanoTime();
            emitter.takeFires(); // the summary counts this punctuation's fires only
            backfill.step(Instant.ofEpochMilli(nowMs), GRAPH_BACKFILL_PER_PUNCTUATION);
            dueJobs.fire(nowMs);
            retries.fire(nowMs, dueJobs.firesLeft(), budget); // after the scheduled fires, within what they left
            runs.sweep(Instant.ofEpochMilli(nowMs), config.maxFiresPerPunctuation(), budget);
            sources.expire(Instant.ofEpochMilli(nowMs), EXPIRED_SOURCES_PER_PUNCTUATION);
            JobLog.punctuation(emitter.takeFires(), dueJobs.jobsHandled(), dueJobs.jobsDue(),
                    (System.nanoTime() - started) / 1_000, dueJobs.cut(), registered);
            registered = 0;
        });
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        // every record of a job crosses the same partition of the repartition topic: its offset orders them
        long position = context.recordMetadata().map(RecordMetadata::offset).orElse(JobSource.NONE);
        ParsedJob parsed;
        try {
            parsed = parser.parse(record.key(), record.value(), now);
        } catch (InvalidRecordException e) {
            emitter.deadLetter(record, e.getMessage());
            refused(JobDefinitionParser.routingId(record.key(), record.value()), position, e.getMessage(), now);
            return;
        }
        if (parsed instanceof ParsedJob.Deleted deleted) {
            remove(deleted.jobId());
            sources.removed(deleted.jobId(), position, now);
        } else if (parsed instanceof ParsedJob.TooLarge tooLarge) {
            if (record.headers().lastHeader(RepartitionGate.STAND_IN) == null) {
                emitter.deadLetter(record, tooLarge.document().reason()); // the gate's stand-ins are dead letters already
            }
            JobDefinition stopped = tooLarge(tooLarge.jobId(), tooLarge.document());
            define(stopped, now);
            sources.applied(tooLarge.jobId(), position, JobFingerprint.of(record.value()), stopped.version());
        } else if (parsed instanceof ParsedJob.Defined defined) {
            try {
                define(defined.definition(), now);
            } catch (StreamsException taskTrouble) {
                throw taskTrouble;
            } catch (RuntimeException e) {
                // The parser checks what a schedule computes with; if scheduling still fails, keep the job,
                // unscheduled, with the reason, rather than lose the record or stop the thread.
                define(defined.definition().invalid("scheduling failed with " + e.getClass().getName() + ": "
                        + e.getMessage()), now);
            }
            sources.applied(defined.jobId(), position, JobFingerprint.of(record.value()),
                    defined.definition().version());
        }
    }

    /**
     * A record for an existing job that could not be read (dead-lettered already) fails closed: the job keeps its
     * definition, {@code valid: false} with the reason, and stops firing until a definition that can be read comes.
     */
    private void refused(String jobId, long position, String reason, Instant now) {
        JobState previous = jobId == null ? null : store.get(jobId);
        if (previous == null) {
            return;
        }
        define(previous.definition().invalid("update refused: " + reason), now);
        sources.applied(jobId, position, JobFingerprint.UNREADABLE, previous.definition().version());
    }

    /** The job a document too large leaves: its definition so far (or a bare one), not firing, naming the limit. */
    private JobDefinition tooLarge(String jobId, OversizedDocument document) {
        JobState previous = store.get(jobId);
        JobDefinition base = previous != null ? previous.definition()
                : JobDefinition.builder(jobId).name(jobId).jobType("generic").build();
        Long version = document.version() != null ? document.version() : base.version();
        return base.with(b -> b.version(version)).invalid(document.reason());
    }

    private void remove(String jobId) {
        JobState previous = store.get(jobId);
        if (previous != null) {
            store.delete(previous);
            chained.removed(previous.definition(), now(), emitter::graphEdge);
            JobLog.removed(jobId, previous.definition().name());
        }
    }

    private void define(JobDefinition job, Instant now) {
        JobState previous = store.get(job.jobId());
        if (previous == null) {
            Instant next = job.firesOnSchedule() ? job.schedule(now).firstFire(now, null, 0).orElse(null) : null;
            store.save(null, JobState.first(job, now, next));
            chained.defined(null, job, now, emitter::graphEdge);
            JobLog.change(job.valid() ? Event.REGISTERED : Event.INVALID, job, next);
            registered++;
            return;
        }
        JobDefinition old = previous.definition();
        if (old.equals(job)) {
            return; // a redelivery (copy_existing after a restart, compaction replay): nothing changed
        }
        JobState settled = previous.nextFireAt() != null && !previous.nextFireAt().isAfter(now)
                ? dueJobs.fireDue(previous, now) : previous;
        Event event;
        Instant next;
        if (!job.valid()) {
            event = !old.valid() && Objects.equals(old.error(), job.error()) ? Event.UPDATED : Event.INVALID;
            next = null;
        } else if (!job.firesOnSchedule()) {
            event = old.firesOnSchedule() && !job.enabled() ? Event.DISABLED : Event.UPDATED;
            next = null;
        } else if (!old.firesOnSchedule()) {
            event = Event.ENABLED;
            next = firstFire(job, settled, now);
        } else if (!old.timing().equals(job.timing())) {
            // once the passed times are settled, the series' next time after now is where its chain goes on: a
            // change of window only (startAt, endAt, maxRuns) keeps the series and only filters it
            event = old.sameSeries(job) ? Event.UPDATED : Event.RESCHEDULED;
            next = firstFire(job, settled, now);
        } else {
            event = Event.UPDATED;
            next = settled.nextFireAt();
        }
        if (settled.autoPaused()) {
            // pauseOnFailure: the ticker's own pause ends only with a newer version (an API write); see RunFailures
            if (settled.failures().autoPause().endedBy(job)) {
                settled = settled.withFailures(RunFailures.NONE, settled.nextFireAt());
                next = job.firesOnSchedule() ? firstFire(job, settled, now) : null; // from now on, like a re-enable
                AUTO_PAUSE_LOG.info("event=auto-pause-ended jobId={} version={} next={}", job.jobId(), job.version(),
                        next == null ? "none" : next);
            } else {
                next = null;
            }
        }
        store.save(previous, settled.withDefinition(job, now, next));
        chained.defined(old, job, now, emitter::graphEdge);
        JobLog.change(event, job, next);
    }

    private Instant now() {
        return Instant.ofEpochMilli(context.currentSystemTimeMs());
    }

    private static Instant firstFire(JobDefinition job, JobState state, Instant now) {
        return job.schedule(state.firstSeenAt()).firstFire(now, state.lastScheduledFor(), state.fireCount())
                .orElse(null);
    }

    @Override
    public void close() {
        if (punctuation != null) {
            punctuation.cancel();
        }
        if (metrics != null) {
            metrics.close();
        }
    }
}
