package io.cronstream.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import io.cronstream.app.CronstreamApp;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/** One Kafka Streams application under test: started, waited for, measured through its metrics, removed. */
final class StreamsRun implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(10);

    private final KafkaStreams streams;
    private final Path stateDir;
    private final long startedAt;
    private final AtomicInteger rebalances = new AtomicInteger();
    private volatile long runningAt;
    /** {@link System#nanoTime()} when the last store restore ended (0: none restored anything). */
    private volatile long restoredAt;
    private final java.util.concurrent.atomic.AtomicLong restoredRecords = new java.util.concurrent.atomic.AtomicLong();

    private StreamsRun(KafkaStreams streams, Path stateDir, long startedAt) {
        this.streams = streams;
        this.stateDir = stateDir;
        this.startedAt = startedAt;
    }

    /** The properties every benchmarked application shares; {@code guarantee} is a {@link StreamsConfig} value. */
    static Properties properties(String applicationId, String bootstrap, Path stateDir, String guarantee) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, CronstreamApp.DEFAULT_MAX_TASK_IDLE_MS);
        if (guarantee.equals(StreamsConfig.EXACTLY_ONCE_V2)) {
            props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, CronstreamApp.DEFAULT_COMMIT_INTERVAL_MS);
        }
        return props;
    }

    /** Starts the application and returns once it is RUNNING. */
    static StreamsRun start(Topology topology, Properties props) {
        KafkaStreams streams = new KafkaStreams(topology, props);
        StreamsRun run = new StreamsRun(streams, Path.of(props.getProperty(StreamsConfig.STATE_DIR_CONFIG)),
                System.nanoTime());
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING && run.runningAt == 0) {
                run.runningAt = System.nanoTime();
            }
            if (before == KafkaStreams.State.RUNNING && now == KafkaStreams.State.REBALANCING) {
                run.rebalances.incrementAndGet();
            }
        });
        streams.setGlobalStateRestoreListener(new org.apache.kafka.streams.processor.StateRestoreListener() {
            @Override
            public void onRestoreStart(org.apache.kafka.common.TopicPartition partition, String store, long start,
                    long end) {
            }

            @Override
            public void onBatchRestored(org.apache.kafka.common.TopicPartition partition, String store, long batchEnd,
                    long restored) {
            }

            @Override
            public void onRestoreEnd(org.apache.kafka.common.TopicPartition partition, String store, long restored) {
                run.restoredRecords.addAndGet(restored);
                run.restoredAt = System.nanoTime();
            }
        });
        streams.start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (run.runningAt == 0) {
            if (System.nanoTime() > deadline || streams.state() == KafkaStreams.State.ERROR) {
                run.close();
                throw new IllegalStateException("Kafka Streams not RUNNING within " + START_TIMEOUT + ": "
                        + streams.state());
            }
            sleep(10);
        }
        return run;
    }

    KafkaStreams streams() {
        return streams;
    }

    /** {@link System#nanoTime()} when {@code start()} was called. */
    long startedAt() {
        return startedAt;
    }

    /** {@link System#nanoTime()} when the application first reached RUNNING. */
    long runningAt() {
        return runningAt;
    }

    /** {@link System#nanoTime()} when the last store's restore from its changelog ended; 0 if none was restored. */
    long restoredAt() {
        return restoredAt;
    }

    /** Records read back from changelogs (and global stores' topics) by the restores that ended. */
    long restoredRecords() {
        return restoredRecords.get();
    }

    /** Closes and leaves the group at once, so an instance started next is assigned its tasks without waiting. */
    void closeLeavingGroup() {
        streams.close(org.apache.kafka.streams.CloseOptions.groupMembershipOperation(
                org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(60)));
    }

    /** How often the application left RUNNING to rebalance, e.g. because its producer was fenced. */
    int rebalances() {
        return rebalances.get();
    }

    /**
     * Whether a stream thread has processed a record yet: from RUNNING, a fresh application still opens its stores
     * (RocksDB, one per store and task) before it reads its first record.
     */
    boolean processing() {
        return metric("stream-thread-metrics", "process-total") > 0;
    }

    /** The sum of a metric over every task, processor and thread that reports it (0 if none does yet). */
    double metric(String group, String name) {
        return streams.metrics().values().stream()
                .filter(m -> m.metricName().group().equals(group) && m.metricName().name().equals(name))
                .map(Metric::metricValue)
                .filter(Number.class::isInstance)
                .mapToDouble(v -> ((Number) v).doubleValue())
                .filter(v -> !Double.isNaN(v))
                .sum();
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(60));
        try {
            Utils.delete(stateDir.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + stateDir, e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Sleeps until {@link System#currentTimeMillis()} reaches {@code epochMillis}. */
    static void sleepUntil(long epochMillis) {
        long wait = epochMillis - System.currentTimeMillis();
        if (wait > 0) {
            sleep(wait);
        }
    }
}
