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
 *                           rest wait for the next scan
 * @param scanTimeBudget     how long one scan may take (it runs inside a transaction); the rest wait for the next
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
        Duration scanTimeBudget) {

    public ProgressConfig {
        Objects.requireNonNull(topics, "topics");
        requirePositive(stuckScanInterval, "stuckScanInterval");
        requirePositive(defaultStuckAfter, "defaultStuckAfter");
        requirePositive(scanTimeBudget, "scanTimeBudget");
        if (defaultFailAfter != null) {
            requirePositive(defaultFailAfter, "defaultFailAfter");
        }
        if (historySize < 1 || recentEventIds < 1 || maxStagesPerRun < 1 || maxStuckPerScan < 1) {
            throw new IllegalArgumentException("historySize, recentEventIds, maxStagesPerRun and maxStuckPerScan "
                    + "must be at least 1");
        }
        // Bounds that keep one run record and one job history record far below the broker's ~1 MB limit.
        if (historySize > MAX_HISTORY_SIZE || maxStagesPerRun > MAX_STAGES_PER_RUN || recentEventIds > MAX_RECENT_EVENT_IDS) {
            throw new IllegalArgumentException("historySize (at most " + MAX_HISTORY_SIZE + "), maxStagesPerRun (at most "
                    + MAX_STAGES_PER_RUN + ") and recentEventIds (at most " + MAX_RECENT_EVENT_IDS + ") keep records "
                    + "below the broker's size limit; got " + historySize + ", " + maxStagesPerRun + ", " + recentEventIds);
        }
    }

    public static final int MAX_HISTORY_SIZE = 250;
    public static final int MAX_STAGES_PER_RUN = 500;
    public static final int MAX_RECENT_EVENT_IDS = 1_000;

    public static final Duration DEFAULT_SCAN_TIME_BUDGET = Duration.ofSeconds(2);

    public ProgressConfig(Topics topics, Duration stuckScanInterval, Duration defaultStuckAfter, Duration defaultFailAfter,
            int historySize, int recentEventIds, int maxStagesPerRun, int maxStuckPerScan) {
        this(topics, stuckScanInterval, defaultStuckAfter, defaultFailAfter, historySize, recentEventIds, maxStagesPerRun,
                maxStuckPerScan, DEFAULT_SCAN_TIME_BUDGET);
    }

    public static ProgressConfig defaults() {
        return new ProgressConfig(Topics.defaults(), Duration.ofSeconds(10), Duration.ofMinutes(5), null, 100, 128, 100,
                10_000);
    }

    public ProgressConfig withTopics(Topics value) {
        return new ProgressConfig(value, stuckScanInterval, defaultStuckAfter, defaultFailAfter, historySize,
                recentEventIds, maxStagesPerRun, maxStuckPerScan, scanTimeBudget);
    }

    public ProgressConfig withStuckScanInterval(Duration value) {
        return new ProgressConfig(topics, value, defaultStuckAfter, defaultFailAfter, historySize, recentEventIds,
                maxStagesPerRun, maxStuckPerScan, scanTimeBudget);
    }

    public ProgressConfig withDefaultStuckAfter(Duration value) {
        return new ProgressConfig(topics, stuckScanInterval, value, defaultFailAfter, historySize, recentEventIds,
                maxStagesPerRun, maxStuckPerScan, scanTimeBudget);
    }

    public ProgressConfig withDefaultFailAfter(Duration value) {
        return new ProgressConfig(topics, stuckScanInterval, defaultStuckAfter, value, historySize, recentEventIds,
                maxStagesPerRun, maxStuckPerScan, scanTimeBudget);
    }

    public ProgressConfig withHistorySize(int value) {
        return new ProgressConfig(topics, stuckScanInterval, defaultStuckAfter, defaultFailAfter, value, recentEventIds,
                maxStagesPerRun, maxStuckPerScan, scanTimeBudget);
    }

    public ProgressConfig withScanTimeBudget(Duration value) {
        return new ProgressConfig(topics, stuckScanInterval, defaultStuckAfter, defaultFailAfter, historySize,
                recentEventIds, maxStagesPerRun, maxStuckPerScan, value);
    }

    private static void requirePositive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got " + value);
        }
    }
}
