package io.cronstream.ticker;

import io.cronstream.schemas.Sha256;
import io.cronstream.schemas.JsonCodec;
import io.cronstream.schemas.Trigger;
import io.cronstream.streams.TimeIndex;
import io.cronstream.ticker.job.RetryPolicy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries waiting for their backoff (DESIGN §12), in {@code ticker-retries}: a {@link TimeIndex} whose id is the
 * pending retry itself as JSON ({@link PendingRetry}), so one range scan up to now yields everything a retry
 * needs, with no second store to keep in step.
 *
 * <p>Exactly once: a retry is put in the store by the command that reports the failure and removed by the
 * punctuation that fires it, each inside the task's exactly-once transaction with what it emits, so a crash
 * between the failure and the retry neither loses nor repeats it. The failure is recorded as its run's end in
 * {@link MadeRuns} in the same transaction, so the same FAILED status delivered twice schedules the retry once; the
 * retry is there as waiting from then on (its id is taken, an end naming it counts for nothing until it fires).
 */
final class PendingRetries {

    private static final Logger LOG = LoggerFactory.getLogger(PendingRetries.class);
    private static final JsonCodec<PendingRetry> CODEC = JsonCodec.of(PendingRetry.class);

    /**
     * @param runId   the retry's run id
     * @param retryOf the failed run it retries
     * @param attempt the retry's attempt (2 for the first retry)
     */
    record PendingRetry(String jobId, String runId, String retryOf, int attempt) {
    }

    private final TimeIndex index;
    private final JobStore jobs;
    private final MadeRuns runs;
    private final Emitter emitter;
    private final TickerMetrics metrics;

    PendingRetries(ProcessingContext context, JobStore jobs, MadeRuns runs, Emitter emitter, TickerMetrics metrics) {
        this.index = new TimeIndex(context.getStateStore(TickerTopology.RETRIES_STORE));
        this.jobs = jobs;
        this.runs = runs;
        this.emitter = emitter;
        this.metrics = metrics;
    }

    void schedule(PendingRetry retry, Instant dueAt) {
        index.put(dueAt, new String(CODEC.write(retry), StandardCharsets.UTF_8));
    }

    /**
     * Fires the retries due at {@code nowMs}, at most {@code firesLeft} (what the scheduled fires of the same
     * punctuation left of its budget) and while the punctuation's time {@code budget} lasts; the rest stay due.
     * One retry fires even when the scheduled fires spent the time, so retries are never starved.
     */
    void fire(long nowMs, int firesLeft, PunctuationBudget budget) {
        if (firesLeft <= 0) {
            return;
        }
        Instant now = Instant.ofEpochMilli(nowMs);
        List<TimeIndex.Entry> due = index.atOrBefore(now, firesLeft);
        int fired = 0;
        for (TimeIndex.Entry entry : due) {
            if (fired > 0 && budget.spent()) {
                metrics.punctuationCut();
                LOG.info("event=punctuation-cut retriesFired={} retriesDue={}: the rest fire on the next punctuation",
                        fired, due.size());
                return;
            }
            index.remove(entry.at(), entry.id());
            fired++;
            PendingRetry retry;
            try {
                retry = CODEC.read(entry.id().getBytes(StandardCharsets.UTF_8));
            } catch (RuntimeException unreadable) {
                LOG.warn("event=retry-dropped entry=\"{}\" reason=\"unreadable: {}\"", entry.id(), unreadable.getMessage());
                continue;
            }
            try {
                fire(retry, entry.at(), now);
            } catch (StreamsException taskTrouble) {
                throw taskTrouble;
            } catch (RuntimeException e) {
                LOG.warn("event=retry-dropped jobId={} runId={} reason=\"firing failed: {}: {}\"", retry.jobId(),
                        retry.runId(), e.getClass().getName(), e.getMessage());
            }
        }
    }

    /**
     * A retry whose job was deleted, became invalid, was disabled or paused meanwhile is dropped with a log line. It
     * raises no RETRY_EXHAUSTED, counts as no failure for {@code pauseOnFailure} and chains nothing: whoever
     * disabled or paused the job is already looking at it. An overlap-SKIP job that waited for it is free again.
     */
    private void fire(PendingRetry retry, Instant dueAt, Instant now) {
        JobState state = jobs.get(retry.jobId());
        String why = state == null ? "the job was deleted" : !state.mayFireAt(now)
                ? "the job is " + (!state.definition().valid() ? "invalid" : !state.definition().enabled()
                        ? "disabled" : "paused") : null;
        if (why != null) {
            LOG.info("event=retry-dropped jobId={} runId={} retryOf={} attempt={} reason=\"{}\"", retry.jobId(),
                    retry.runId(), retry.retryOf(), retry.attempt(), why);
            runs.dropped(retry.jobId(), retry.runId(), now);
            if (state != null && retry.runId().equals(state.activeRunId())) {
                jobs.save(state, state.withActiveRun(null));
            }
            return;
        }
        // triggeredBy names the failed run, as an AFTER run's names its upstream run: the cause of this run
        emitter.emit(state.definition(), retry.runId(), dueAt, Trigger.RETRY, retry.retryOf(), now, state.nextFireAt(),
                retry.attempt(), retry.retryOf());
        runs.add(retry.jobId(), retry.runId(), emitter.followUp(state.definition()), now);
        jobs.save(state, state.afterRetry(now, retry.runId()));
    }

    /**
     * How long after the failure of attempt {@code attempt} the next one starts:
     * {@code min(initialInterval × backoffCoefficient^(attempt-1), maxInterval) × (1 + jitter × u)}, u in [-1, 1]
     * derived from the failed run id, so the same failure always gets the same delay (a redelivered status, a
     * replay after a crash) while the retries of many jobs that failed together spread out.
     */
    static Duration backoff(RetryPolicy policy, int attempt, String failedRunId) {
        double base = policy.initialInterval().toMillis() * Math.pow(policy.backoffCoefficient(), attempt - 1);
        double capped = Math.min(base, policy.maxInterval().toMillis());
        double jittered = capped * (1 + policy.jitter() * unit(failedRunId));
        return Duration.ofMillis(Math.max(0, Math.round(jittered)));
    }

    /** A number in [-1, 1] that depends only on {@code runId}. */
    static double unit(String runId) {
        long bits = ByteBuffer.wrap(Sha256.of(runId), 0, Long.BYTES).getLong() >>> 11; // 53 bits
        return bits / (double) (1L << 52) - 1;
    }
}
