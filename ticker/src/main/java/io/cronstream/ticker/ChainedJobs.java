package io.cronstream.ticker;

import io.cronstream.schemas.Command;
import java.time.Instant;

/**
 * Jobs chained after others ({@code after}, DESIGN §12): when a run of a job ends with its final outcome, each
 * job chained after it with a matching {@code on} is sent one AFTER command.
 */
final class ChainedJobs {

    /** Whether any job is chained after {@code jobId}: its runs' ends must then be reported to the ticker. */
    boolean hasDependents(String jobId) {
        return false; // TODO(ticker-chain)
    }

    /** A run of {@code finished.jobId()} ended for good (no retry follows) with {@code finished.status()}. */
    void ended(Command finished, Instant now) {
        // TODO(ticker-chain)
    }
}
