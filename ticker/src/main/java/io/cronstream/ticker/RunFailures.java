package io.cronstream.ticker;

import io.cronstream.ticker.job.JobDefinition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A job's run of failures, for {@code pauseOnFailure} (DESIGN §12), kept in its {@link JobState}.
 *
 * <p>A run counts once, when it fails for good (no retry follows); a COMPLETED run resets the count. The last
 * failed run ids are kept (at most {@link #KEPT_RUN_IDS}) to name them in the pause note; a FAILED status delivered
 * twice never reaches this ({@link MadeRuns} knows the run's end).
 *
 * @param consecutive the number of runs in a row that ended FAILED for good
 * @param failedRuns  the last of them, oldest first
 * @param autoPause   the pause the ticker put on the job itself, or null
 */
public record RunFailures(int consecutive, List<String> failedRuns, AutoPause autoPause) {

    static final int KEPT_RUN_IDS = 16;
    static final String PAUSED_BY = "cronstream";
    public static final RunFailures NONE = new RunFailures(0, List.of(), null);

    public RunFailures {
        failedRuns = failedRuns == null ? List.of() : List.copyOf(failedRuns);
    }

    /**
     * The ticker paused the job after {@code pauseOnFailure} consecutive failures. The definition comes from MongoDB
     * and the ticker does not write it, so the pause lives here. It ends when a definition with a greater
     * {@code version} than {@code version} arrives (an API write: resume, edit, enable), see {@link #endedBy}.
     *
     * @param version the definition's version when it paused (null: the document had none)
     */
    public record AutoPause(String note, Instant at, Long version) {

        /** What the API shows as the job's pause. */
        public JobDefinition.Pause asPause() {
            return new JobDefinition.Pause(null, note, PAUSED_BY);
        }

        /**
         * Whether {@code next} ends this pause: it carries a version greater than the one paused at (any version
         * when the paused definition had none). A document without a version (not written through the API) never
         * ends it; a redelivery of the same version neither.
         */
        boolean endedBy(JobDefinition next) {
            return next.version() != null && (version == null || next.version() > version);
        }
    }

    RunFailures failed(String runId) {
        List<String> runs = new ArrayList<>(failedRuns);
        runs.add(runId);
        return new RunFailures(consecutive + 1, runs.subList(Math.max(0, runs.size() - KEPT_RUN_IDS), runs.size()),
                autoPause);
    }

    /** A COMPLETED run ends the series (an auto pause stays until an API write ends it). */
    RunFailures completed() {
        return consecutive == 0 && failedRuns.isEmpty() ? this : new RunFailures(0, List.of(), autoPause);
    }

    RunFailures paused(AutoPause pause) {
        return new RunFailures(consecutive, failedRuns, pause);
    }

    /** The note of the pause this series makes: "paused after 3 consecutive failed runs: r1, r2, r3". */
    String pauseNote() {
        String runs = String.join(", ", failedRuns);
        return "paused after " + consecutive + " consecutive failed runs: "
                + (consecutive > failedRuns.size() ? "the last " + failedRuns.size() + " were " : "") + runs;
    }
}
