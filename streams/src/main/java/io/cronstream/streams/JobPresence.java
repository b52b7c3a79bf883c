package io.cronstream.streams;

import java.time.Instant;
import java.util.Objects;

/**
 * What the ticker tells the progress side of the same application about a job's existence: it was defined
 * (created, changed, re-enabled, redelivered) or removed, at {@code at} by the ticker's wall clock. It never
 * leaves the application (it crosses internal repartition topics only), so progress can drop a deleted job's
 * history after the retention and keep the history of a job that came back.
 */
public record JobPresence(String jobId, boolean removed, Instant at) {

    public JobPresence {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(at, "at");
    }

    public static JobPresence defined(String jobId, Instant at) {
        return new JobPresence(jobId, false, at);
    }

    public static JobPresence removed(String jobId, Instant at) {
        return new JobPresence(jobId, true, at);
    }
}
