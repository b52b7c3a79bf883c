package io.cronstream.topology;

import io.cronstream.schemas.Topics;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Settings of the progress sub-topology. Built by name: {@code ProgressConfig.defaults().with(b -> b.historySize(2))}.
 *
 * @param topics             topic names
 * @param stuckScanInterval  how often (wall clock) the stuck scan runs
 * @param defaultStuckAfter  a PENDING/RUNNING run with no event for this long is stuck (DESIGN §6: PT5M)
 * @param defaultFailAfter   a stall this long fails the run; null: stalls never fail a run
 * @param historySize        runs kept per job in its history (seed 002: 100)
 * @param maxStagesPerRun    a run refuses stages beyond this many (they go to the DLQ)
 * @param maxStuckPerScan    runs one scan handles at most, so a backlog cannot stall the stream thread; the
 *                           rest wait for the next scan (bounds a retention sweep the same way)
 * @param runRetention       a finished run is removed this long after its last change (DESIGN §10: P7D)
 * @param scanTimeBudget     how long one scan may take (it runs inside a transaction); the rest wait for the next
 * @param runPartitions      partitions of the runs' repartitions, which decide the task that owns a run: the most
 *                           partitions any input topic has (the application reads it from the cluster; 1 in a
 *                           TopologyTestDriver)
 * @param inMemoryStores     keep the stores in memory instead of RocksDB; for simulations of weeks in a
 *                           TopologyTestDriver, which commits, and so flushes every RocksDB store to disk, after each
 *                           record (a real application commits every {@code commit.interval.ms}). Not a setting
 */
public record ProgressConfig(
        Topics topics,
        Duration stuckScanInterval,
        Duration defaultStuckAfter,
        Duration defaultFailAfter,
        int historySize,
        int maxStagesPerRun,
        int maxStuckPerScan,
        Duration runRetention,
        Duration scanTimeBudget,
        int runPartitions,
        boolean inMemoryStores) {

    public static final int MAX_HISTORY_SIZE = 250;
    public static final int MAX_STAGES_PER_RUN = 500;
    public static final Duration DEFAULT_SCAN_TIME_BUDGET = Duration.ofSeconds(2);

    public ProgressConfig {
        Objects.requireNonNull(topics, "topics");
        requirePositive(stuckScanInterval, "stuckScanInterval");
        requirePositive(defaultStuckAfter, "defaultStuckAfter");
        requirePositive(runRetention, "runRetention");
        requirePositive(scanTimeBudget, "scanTimeBudget");
        if (defaultFailAfter != null) {
            requirePositive(defaultFailAfter, "defaultFailAfter");
        }
        if (runPartitions < 1) {
            throw new IllegalArgumentException("runPartitions must be at least 1, got " + runPartitions);
        }
        if (historySize < 1 || maxStagesPerRun < 1 || maxStuckPerScan < 1) {
            throw new IllegalArgumentException("historySize, maxStagesPerRun and maxStuckPerScan must be at least 1");
        }
        // Bounds that keep one run record and one job history record far below the broker's ~1 MB limit.
        if (historySize > MAX_HISTORY_SIZE || maxStagesPerRun > MAX_STAGES_PER_RUN) {
            throw new IllegalArgumentException("historySize (at most " + MAX_HISTORY_SIZE + ") and maxStagesPerRun (at most "
                    + MAX_STAGES_PER_RUN + ") keep records below the broker's size limit; got " + historySize + ", "
                    + maxStagesPerRun);
        }
    }

    public static ProgressConfig defaults() {
        return new Builder().build();
    }

    /** A copy with the changes {@code edit} makes to a builder that starts from this config. */
    public ProgressConfig with(Consumer<Builder> edit) {
        Builder builder = new Builder(this);
        edit.accept(builder);
        return builder.build();
    }

    public ProgressConfig withTopics(Topics value) {
        return with(b -> b.topics(value));
    }

    private static void requirePositive(Duration value, String name) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got " + value);
        }
    }

    /** Every setting by name, starting from the defaults. */
    public static final class Builder {
        private Topics topics = Topics.defaults();
        private Duration stuckScanInterval = Duration.ofSeconds(10);
        private Duration defaultStuckAfter = Duration.ofMinutes(5);
        private Duration defaultFailAfter;
        private int historySize = 100;
        private int maxStagesPerRun = 100;
        private int maxStuckPerScan = 10_000;
        private Duration runRetention = Duration.ofDays(7);
        private Duration scanTimeBudget = DEFAULT_SCAN_TIME_BUDGET;
        private int runPartitions = 1;
        private boolean inMemoryStores;

        public Builder() {
        }

        private Builder(ProgressConfig from) {
            topics = from.topics;
            stuckScanInterval = from.stuckScanInterval;
            defaultStuckAfter = from.defaultStuckAfter;
            defaultFailAfter = from.defaultFailAfter;
            historySize = from.historySize;
            maxStagesPerRun = from.maxStagesPerRun;
            maxStuckPerScan = from.maxStuckPerScan;
            runRetention = from.runRetention;
            scanTimeBudget = from.scanTimeBudget;
            runPartitions = from.runPartitions;
            inMemoryStores = from.inMemoryStores;
        }

        public Builder topics(Topics value) {
            topics = value;
            return this;
        }

        public Builder stuckScanInterval(Duration value) {
            stuckScanInterval = value;
            return this;
        }

        public Builder defaultStuckAfter(Duration value) {
            defaultStuckAfter = value;
            return this;
        }

        public Builder defaultFailAfter(Duration value) {
            defaultFailAfter = value;
            return this;
        }

        public Builder historySize(int value) {
            historySize = value;
            return this;
        }

        public Builder maxStagesPerRun(int value) {
            maxStagesPerRun = value;
            return this;
        }

        public Builder maxStuckPerScan(int value) {
            maxStuckPerScan = value;
            return this;
        }

        public Builder runRetention(Duration value) {
            runRetention = value;
            return this;
        }

        public Builder scanTimeBudget(Duration value) {
            scanTimeBudget = value;
            return this;
        }

        public Builder runPartitions(int value) {
            runPartitions = value;
            return this;
        }

        public Builder inMemoryStores(boolean value) {
            inMemoryStores = value;
            return this;
        }

        public ProgressConfig build() {
            return new ProgressConfig(topics, stuckScanInterval, defaultStuckAfter, defaultFailAfter, historySize,
                    maxStagesPerRun, maxStuckPerScan, runRetention, scanTimeBudget, runPartitions,
                    inMemoryStores);
        }
    }
}
