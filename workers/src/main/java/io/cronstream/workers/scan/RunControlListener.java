package io.cronstream.workers.scan;

import io.cronstream.schemas.InvalidRecordException;
import io.cronstream.schemas.JsonCodec;
import io.cronstream.schemas.RunControl;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code cronstream.run-control} into {@link RunCancels}. Every worker must hear every CANCEL (it cannot
 * know which worker has the run), so this consumer has no group: it takes all partitions and starts at the
 * records of the last {@link RunCancels#MEMORY}, so a worker (re)started just after a cancel still knows it.
 */
final class RunControlListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunControlListener.class);
    private static final JsonCodec<RunControl> CONTROL = JsonCodec.of(RunControl.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration TOPIC_RETRY = Duration.ofSeconds(5);

    private final Consumer<String, byte[]> consumer;
    private final String topic;
    private final RunCancels cancels;
    private final Clock clock;
    private final Thread thread;
    private volatile boolean closed;
    private final CountDownLatch closing = new CountDownLatch(1);

    RunControlListener(Consumer<String, byte[]> consumer, String topic, RunCancels cancels, Clock clock) {
        this.consumer = consumer;
        this.topic = topic;
        this.cancels = cancels;
        this.clock = clock;
        this.thread = new Thread(this::loop, "run-control");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    @Override
    public void close() {
        closed = true;
        closing.countDown();
        consumer.wakeup();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        try {
            while (!closed && !assign()) {
                // the topic may not exist yet: ask again in a while instead of failing the worker (a consumer
                // with nothing assigned cannot poll, so this waits on the close signal instead)
                if (closing.await(TOPIC_RETRY.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
            while (!closed) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    read(record);
                }
            }
        } catch (WakeupException e) {
            if (!closed) {
                throw e;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // the worker still runs its jobs; it just cannot be cancelled any more
            LOG.error("event=run-control-stopped reason=\"{}\"", e.toString());
        } finally {
            consumer.close();
        }
    }

    private boolean assign() {
        List<PartitionInfo> infos;
        try {
            infos = consumer.partitionsFor(topic);
        } catch (TimeoutException e) {
            return false;
        }
        if (infos == null || infos.isEmpty()) {
            return false;
        }
        List<TopicPartition> partitions = infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        long since = clock.instant().minus(RunCancels.MEMORY).toEpochMilli();
        Map<TopicPartition, Long> times = new HashMap<>();
        partitions.forEach(partition -> times.put(partition, since));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(times);
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp offset = offsets.get(partition);
            if (offset == null) {
                consumer.seekToEnd(List.of(partition));
            } else {
                consumer.seek(partition, offset.offset());
            }
        }
        LOG.info("event=run-control-listening topic={} partitions={}", topic, partitions.size());
        return true;
    }

    private void read(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        try {
            RunControl control = CONTROL.read(record.value());
            cancels.cancel(control);
            LOG.info("event=run-control-received type={} runId={} reason=\"{}\"", control.type(), control.runId(),
                    control.reason());
        } catch (InvalidRecordException e) {
            LOG.warn("event=unreadable-run-control partition={} offset={} reason=\"{}\"", record.partition(),
                    record.offset(), e.getMessage());
        }
    }
}
