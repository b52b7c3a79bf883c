package io.cronstream.api;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * At most {@code perSecond} schedule previews per client per second, in bursts of as many: a bucket of that many
 * tokens per client, refilled continuously. A person typing in the dashboard's cron editor (one request per pause,
 * debounced) stays far below it; a loop on the route gets 429 with {@code Retry-After}. Kept per instance: each
 * instance computes its own previews.
 */
final class PreviewLimiter {

    /** Beyond this many remembered clients, full buckets (idle for a second or more) are dropped. */
    private static final int PRUNE_ABOVE = 10_000;

    private final int perSecond;
    private final Clock clock;
    private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** Tokens left at {@code atMillis}. */
    private record Bucket(double tokens, long atMillis) {
    }

    PreviewLimiter(int perSecond, Clock clock) {
        this.perSecond = perSecond;
        this.clock = clock;
    }

    /** Takes one of {@code client}'s tokens, or throws 429 saying how long until the next one. */
    void acquire(String client) {
        long now = clock.millis();
        Bucket[] empty = new Bucket[1];
        buckets.compute(client, (key, bucket) -> {
            double tokens = bucket == null ? perSecond
                    : Math.min(perSecond, bucket.tokens() + Math.max(0, now - bucket.atMillis()) / 1000.0 * perSecond);
            if (tokens < 1) {
                empty[0] = new Bucket(tokens, now);
                return empty[0];
            }
            return new Bucket(tokens - 1, now);
        });
        if (empty[0] != null) {
            long wait = (long) Math.ceil((1 - empty[0].tokens()) * 1000 / perSecond);
            throw ApiException.tooManyRequests("at most " + perSecond + " schedule previews per second per client",
                    Duration.ofMillis(wait));
        }
        if (buckets.size() > PRUNE_ABOVE) {
            buckets.values().removeIf(bucket -> now - bucket.atMillis() >= 1000);
        }
    }
}
