package io.cronstream.ticker.job;

import java.time.Duration;

/**
 * A job's {@code retry} (DESIGN §12): a failed or timed-out run is tried again, up to {@code maxAttempts} tries in
 * all, after {@code initialInterval × backoffCoefficient^(n-1)} capped at {@code maxInterval}, ± {@code jitter}
 * (a fraction of the delay).
 */
public record RetryPolicy(int maxAttempts, Duration initialInterval, double backoffCoefficient, Duration maxInterval,
        double jitter) {

    public static final Duration DEFAULT_INITIAL_INTERVAL = Duration.ofSeconds(10);
    public static final double DEFAULT_BACKOFF_COEFFICIENT = 2.0;
    public static final Duration DEFAULT_MAX_INTERVAL = Duration.ofMinutes(10);
    public static final double DEFAULT_JITTER = 0.1;

    /** One try, no retry: what a job without {@code retry} has. */
    public static final RetryPolicy NONE = new RetryPolicy(1, DEFAULT_INITIAL_INTERVAL, DEFAULT_BACKOFF_COEFFICIENT,
            DEFAULT_MAX_INTERVAL, DEFAULT_JITTER);

    public boolean retries() {
        return maxAttempts > 1;
    }
}
