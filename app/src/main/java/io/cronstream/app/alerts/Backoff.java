package io.cronstream.app.alerts;

import java.time.Duration;

/**
 * Attempts and the waits between them: {@code initial × coefficient^(n-1)}, capped at {@code max}.
 *
 * @param attempts tries in all (1: no retry)
 */
public record Backoff(int attempts, Duration initial, double coefficient, Duration max) {

    public Backoff {
        if (attempts < 1 || attempts > 100) {
            throw new IllegalArgumentException("attempts must be between 1 and 100, got " + attempts);
        }
        if (initial == null || initial.isNegative() || max == null || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("expected 0 <= initial <= max, got " + initial + ", " + max);
        }
        if (!(coefficient >= 1.0) || coefficient > 100) {
            throw new IllegalArgumentException("coefficient must be between 1 and 100, got " + coefficient);
        }
    }

    /** The wait after failed attempt {@code n} (1-based). */
    public Duration after(int n) {
        double millis = initial.toMillis() * Math.pow(coefficient, n - 1);
        return millis >= max.toMillis() ? max : Duration.ofMillis((long) millis);
    }

    /** Waits after failed attempt {@code n}; an interrupt (the service closing) ends the wait and is kept. */
    void sleepAfter(int n) throws InterruptedException {
        Thread.sleep(after(n).toMillis());
    }
}
