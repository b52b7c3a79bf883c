package io.cronstream.topology;

import io.cronstream.schemas.Topics;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the progress sub-topology.
 *
 * @param topics             topic names
 * @param stuckScanInterval  how often (wall clock) the stuck scan runs
 * @param defaultStuckAfter  a PENDING/RUNNING run with no event for this long is stuck (DESIGN §6: PT5M)
 * @param defaultFailAfter   a stall this long fails the run; null: stalls never fail a run
 * @param historySize        runs kept per job in its history (seed 002: 100)
 * @param recentEventIds     eventIds remembered per run to drop redelivered events
 * @param maxStagesPerRun    a run refuses stages beyond this many (they go to the DLQ)
 * @param maxStuckPerScan    runs one scan handles at most, so a backlog cannot stall the stream thread; the
 *                           rest wait for the next scan (bounds a retention sweep the same way)
 * @param runRetention       a finished run is removed this long after its last change (DESIGN §10: P7D)
 */
public record ProgressConfig(
        Topics topics,
        Duration stuckScanInterval,
        Duration defaultStuckAfter,
        Duration defaultFailAfter,
        int historySize,
        int recentEventIds,
        int maxStagesPerRun,
        int maxStuckPerScan,
        Duration runRetention) {

    public ProgressConfig {
        Objects.requireNonNull(topics, "topics");
        requirePositive(stuckScanInterval, "stuckScanInterval");
        requirePositive(defaultStuckAfter, "defaultStuckAfter");
        requirePositive(runRetention, "runRetention");
        if (defaultFailAfter != null) {
            requirePositive(defaultFailAfter, "defaultFailAfter");
        }
        if (historySize < 1 || recentEventIds < 1 || maxStagesPerRun < 1 || maxStuckPerScan < 1) {
            throw new IllegalArgumentException("historySize, recentEventIds, maxStagesPerRun and maxStuckPerScan "
                    + "must be at least 1");
        }
    }

    public static ProgressConfig defaults() {
        return new ProgressConfig(Topics.defaults(), Duration.ofSeconds(10), Duration.ofMinutes(5), null, 100, 128, 100,
                10_000, Duration.ofDays(7));
    }

    public ProgressConfig withTopics(Topics value) {
        return new ProgressConfig(value, stuckScanInterval, defaultStuckAfter, defaultFailAfter, historySize,
                recentEventIds, maxStagesPerRun, maxStuckPerScan, runRetention);
    }

    public ProgressConfig withStuckScanInterval(Duration value) {
        return new ProgressConfig(topics, value, defaultStuckAfter, defaultFailAfter, historySize, recentEventIds,
                maxStagesPerRun, maxStuckPerScan, runRetention);
    }

    public ProgressConfig withDefaultStuckAfter(Duration value) {
        return new ProgressConfig(topics, stuckScanInterval, value, defaultFailAfter, historySize, recentEventIds,
                maxStagesPerRun, maxStuckPerScan, runRetention);
    }

    public ProgressConfig withDefaultFailAfter(Duration value) {
        return new ProgressConfig(topics, stuckScanInterval, defaultStuckAfter, value, historySize, recentEventIds,
                maxStagesPerRun, maxStuckPerScan, runRetention);
    }

    public ProgressConfig withHistorySize(int value) {
        return new ProgressConfig(topics, stuckScanInterval, defaultStuckAfter, defaultFailAfter, value, recentEventIds,
                maxStagesPerRun, maxStuckPerScan, runRetention);
    }

    public ProgressConfig withRunRetention(Duration value) {
        return new ProgressConfig(topics, stuckScanInterval, defaultStuckAfter, defaultFailAfter, historySize,
                recentEventIds, maxStagesPerRun, maxStuckPerScan, value);
    }

    private static void requirePositive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got " + value);
        }
    }
}
