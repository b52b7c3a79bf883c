package io.cronstream.ticker;

import io.cronstream.schemas.Alert;
import io.cronstream.schemas.AlertKind;
import io.cronstream.schemas.Command;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.RunStatus;
import io.cronstream.ticker.job.JobDefinition;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the ticker does when a run ends (a RUN_FINISHED command, DESIGN §12): retries a FAILED run while attempts
 * remain, raises RETRY_EXHAUSTED when none do, and counts consecutive final failures for {@code pauseOnFailure}.
 * It sees each run's first end only, and only of runs the ticker made for the job (see {@link MadeRuns}): a status
 * delivered twice, or one naming a run nobody made, does nothing.
 *
 * <p>Rules:
 * <ul>
 * <li>A FAILED run of attempt n with n &lt; {@code maxAttempts} is retried as attempt n+1, run id
 *     {@code DueEvent.retryRunIdFor(firstRunIdOf(runId), n+1)}, due at
 *     {@code max(requestedAt + backoff, now)} ({@code requestedAt} is when the run ended). A job that cannot fire
 *     now (deleted, invalid, disabled, paused) gets no retry: its failure is final.</li>
 * <li>A FAILED run with no retry to follow is final: RETRY_EXHAUSTED when the job retries at all
 *     ({@code maxAttempts > 1}), and one more consecutive failure.</li>
 * <li>{@code pauseOnFailure: n}: at n consecutive final failures the job pauses itself ({@link RunFailures.AutoPause},
 *     off the schedule) and a PAUSED alert goes out. A COMPLETED run resets the count. The pause ends when a
 *     definition with a greater {@code version} arrives (see {@link JobDefinitionProcessor}); that resets the
 *     count too, and a pause the new definition carries governs from then on.</li>
 * </ul>
 */
final class RunEnds {

    private static final Logger LOG = LoggerFactory.getLogger(RunEnds.class);

    private final JobStore store;
    private final MadeRuns runs;
    private final PendingRetries retries;
    private final Emitter emitter;

    RunEnds(JobStore store, MadeRuns runs, PendingRetries retries, Emitter emitter) {
        this.store = store;
        this.runs = runs;
        this.retries = retries;
        this.emitter = emitter;
    }

    /**
     * Handles the first RUN_FINISHED of a run the ticker made; returns the run id of the retry that follows (then the
     * run's outcome is not final yet), or null.
     */
    String finished(Command command, Instant now) {
        JobState state = store.get(command.jobId());
        if (state == null) {
            return null; // deleted: nothing to retry, count or pause
        }
        if (RunStatus.COMPLETED.name().equals(command.status())) {
            RunFailures reset = state.failures().completed();
            if (reset != state.failures()) {
                store.save(state, state.withFailures(reset, state.nextFireAt()));
            }
            return null;
        }
        if (!RunStatus.FAILED.name().equals(command.status())) {
            return null;
        }
        JobDefinition job = state.definition();
        String failedRunId = command.runId();
        int attempt = command.attempt() != null ? command.attempt() : attemptOf(failedRunId);
        int maxAttempts = Math.min(job.retry().maxAttempts(), DueEvent.MAX_ATTEMPTS);
        if (attempt < maxAttempts && state.mayFireAt(now)) {
            String retryRunId = DueEvent.retryRunIdFor(DueEvent.firstRunIdOf(failedRunId), attempt + 1);
            Duration delay = PendingRetries.backoff(job.retry(), attempt, failedRunId);
            Instant dueAt = later(command.requestedAt().plus(delay), now);
            retries.schedule(new PendingRetries.PendingRetry(job.jobId(), retryRunId, failedRunId, attempt + 1), dueAt);
            runs.addWaiting(job.jobId(), retryRunId, now);
            LOG.info("event=retry-scheduled jobId={} runId={} retryOf={} attempt={} dueAt={}", job.jobId(), retryRunId,
                    failedRunId, attempt + 1, dueAt);
            return retryRunId;
        }
        if (attempt < maxAttempts) {
            LOG.info("event=retry-dropped jobId={} runId={} attempt={} reason=\"the job cannot fire now (invalid, "
                    + "disabled or paused)\"", job.jobId(), failedRunId, attempt);
        }
        finalFailure(state, command, attempt, maxAttempts, now);
        return null;
    }

    private void finalFailure(JobState state, Command command, int attempt, int maxAttempts, Instant now) {
        String jobId = state.jobId();
        RunFailures failures = state.failures();
        if (maxAttempts > 1 && attempt >= maxAttempts) {
            String reason = command.failureReason() != null ? command.failureReason() : "reported by the worker";
            LOG.warn("event=retry-exhausted jobId={} runId={} attempts={} reason={}", jobId, command.runId(), attempt,
                    reason);
            emitter.alert(new Alert(AlertKind.RETRY_EXHAUSTED, jobId, command.runId(), attempt, now,
                    "failed " + attempt + " attempts: " + reason));
        }
        failures = failures.failed(command.runId());
        Integer pauseOnFailure = state.definition().pauseOnFailure();
        Instant next = state.nextFireAt();
        if (pauseOnFailure != null && failures.consecutive() >= pauseOnFailure && failures.autoPause() == null) {
            String note = failures.pauseNote();
            failures = failures.paused(new RunFailures.AutoPause(note, now, state.definition().version()));
            next = null; // off the schedule until an API write resumes it
            emitter.alert(new Alert(AlertKind.PAUSED, jobId, null, null, now, note));
            LOG.warn("event=auto-paused jobId={} note=\"{}\"", jobId, note);
        }
        store.save(state, state.withFailures(failures, next));
    }

    /** The attempt a run id names: {@code -attempt-<n>} at its end, else 1. */
    static int attemptOf(String runId) {
        String first = DueEvent.firstRunIdOf(runId);
        if (first.equals(runId)) {
            return 1;
        }
        try {
            return Integer.parseInt(runId.substring(first.length() + "-attempt-".length()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
