package io.cronstream.ticker.job;

/** One entry of a job's {@code after}: fire once when a run of {@code jobId} ends with outcome {@code on}. */
public record Upstream(String jobId, On on) {

    public enum On {
        COMPLETED,
        FAILED,
        ANY;

        /** Whether a run that ended with {@code status} (COMPLETED or FAILED) matches. */
        public boolean matches(String status) {
            return this == ANY || name().equals(status);
        }
    }
}
