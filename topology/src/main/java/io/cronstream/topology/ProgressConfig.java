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
 * @param maxStagesPerRun    a run refuses stages beyond this many (they go to the DLQ)
 * @param maxStuckPerScan    runs one scan handles at most, so a backlog cannot stall the stream thread; the
 *                           rest wait for the next scan
 */
public record ProgressConfig(
        Topics topics,
        Duration stuckScanInterval,
        Duration defaultStuckAfter,
        Duration defaultFailAfter,
        int historySize,
        int maxStagesPerRun,
        int maxStuckPerScan) {

    public ProgressConfig {
        Objects.requireNonNull(topics, "topics");
        requirePositive(stuckScanInterval, "stuckScanInterval");
        requirePositive(defaultStuckAfter, "defaultStuckAfter");
        if (defaultFailAfter != null) {
            requirePositive(defaultFailAfter, "defaultFailAfter");
        }
        if (historySize < 1 || maxStagesPerRun < 1 || maxStuckPerScan < 1) {
            throw new IllegalArgumentException("historySize, maxStagesPerRun and maxStuckPerScan must be at least 1");
        }
    }

    public static ProgressConfig defaults() {
        return new ProgressConfig(Topics.defaults(), Duration.ofSeconds(10), Duration.ofMinutes(5), null, 100, 100,
                10_000);
    }

    public ProgressConfig withTopics(Topics value) {
        return new ProgressConfig(value, stuckScanInterval, defaultStuckAfter, defaultFailAfter, historySize,
                maxStagesPerRun, maxStuckPerScan);
    }

    public ProgressConfig withStuckScanInterval(Duration value) {
        return new ProgressConfig(topics, value, defaultStuckAfter, defaultFailAfter, historySize,
                maxStagesPerRun, maxStuckPerScan);
    }

    public ProgressConfig withDefaultStuckAfter(Duration value) {
        return new ProgressConfig(topics, stuckScanInterval, value, defaultFailAfter, historySize,
                maxStagesPerRun, maxStuckPerScan);
    }

    public ProgressConfig withDefaultFailAfter(Duration value) {
        return new ProgressConfig(topics, stuckScanInterval, defaultStuckAfter, value, historySize,
                maxStagesPerRun, maxStuckPerScan);
    }

    public ProgressConfig withHistorySize(int value) {
        return new ProgressConfig(topics, stuckScanInterval, defaultStuckAfter, defaultFailAfter, value,
                maxStagesPerRun, maxStuckPerScan);
    }

    private static void requirePositive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got " + value);
        }
    }
}
