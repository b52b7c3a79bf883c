package io.cronstream.topology.alerts;

import io.cronstream.schemas.Topics;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the recent-alerts sub-topology.
 *
 * @param topics          topic names ({@code alerts} is read, {@code dlq} takes what cannot be read)
 * @param retention       an alert is kept this long after its {@code at} ({@code cronstream.alerts.retention}, P7D)
 * @param maxPerPartition alerts kept per partition at most; the oldest go first ({@code cronstream.alerts.max.per.partition})
 * @param sweepInterval   how often (wall clock) expired alerts are removed
 * @param maxPerSweep     removals one sweep makes at most, so a backlog cannot stall the stream thread
 * @param inMemoryStores  in-memory stores instead of RocksDB (simulations in a TopologyTestDriver); not a setting
 */
public record AlertsConfig(Topics topics, Duration retention, int maxPerPartition, Duration sweepInterval,
        int maxPerSweep, boolean inMemoryStores) {

    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
    public static final int DEFAULT_MAX_PER_PARTITION = 10_000;

    public AlertsConfig {
        Objects.requireNonNull(topics, "topics");
        requirePositive(retention, "retention");
        requirePositive(sweepInterval, "sweepInterval");
        if (maxPerPartition < 1 || maxPerSweep < 1) {
            throw new IllegalArgumentException("maxPerPartition and maxPerSweep must be at least 1");
        }
    }

    public static AlertsConfig defaults(Topics topics) {
        return new AlertsConfig(topics, DEFAULT_RETENTION, DEFAULT_MAX_PER_PARTITION, Duration.ofMinutes(1), 10_000,
                false);
    }

    public AlertsConfig withRetention(Duration value) {
        return new AlertsConfig(topics, value, maxPerPartition, sweepInterval, maxPerSweep, inMemoryStores);
    }

    public AlertsConfig withMaxPerPartition(int value) {
        return new AlertsConfig(topics, retention, value, sweepInterval, maxPerSweep, inMemoryStores);
    }

    public AlertsConfig withSweepInterval(Duration value) {
        return new AlertsConfig(topics, retention, maxPerPartition, value, maxPerSweep, inMemoryStores);
    }

    private static void requirePositive(Duration value, String name) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got " + value);
        }
    }
}
