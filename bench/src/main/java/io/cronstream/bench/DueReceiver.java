package io.cronstream.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * A {@code read_committed} consumer of a one-partition topic, polling from the start while the benchmark runs,
 * that notes for every record the moment it received it: this JVM's wall clock when {@code poll} returned with
 * it. Lateness as a consumer sees it is that moment − the event's scheduledFor (the ticker stamps scheduledFor
 * from the same clock: same JVM). Consumer settings are the client's defaults (a worker's), apart from not
 * committing offsets.
 */
final class DueReceiver implements AutoCloseable {

    private static final long NOT_RECEIVED = Long.MIN_VALUE;

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final Object lock = new Object();
    /** Receive time (epoch ms) by offset; {@link #NOT_RECEIVED} where nothing was (control records, not yet). */
    private long[] receivedAt = new long[1 << 16];
    private volatile RuntimeException failure;

    DueReceiver(String bootstrap, String topic) {
        consumer = Kafka.consumer(bootstrap, true);
        Arrays.fill(receivedAt, NOT_RECEIVED);
        List<TopicPartition> partitions = Kafka.partitions(consumer, topic);
        if (partitions.size() != 1) {
            consumer.close();
            throw new IllegalArgumentException(topic + " has " + partitions.size() + " partitions, expected 1");
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = new Thread(this::poll, "bench-due-receiver");
        thread.setDaemon(true);
        thread.start();
    }

    private void poll() {
        try {
            while (true) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofSeconds(1));
                long now = System.currentTimeMillis();
                synchronized (lock) {
                    for (ConsumerRecord<byte[], byte[]> record : records) {
                        note(record.offset(), now);
                    }
                }
            }
        } catch (WakeupException e) {
            // closed
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    private void note(long offset, long now) {
        if (offset >= receivedAt.length) {
            int length = receivedAt.length;
            while (offset >= length) {
                length *= 2;
            }
            long[] grown = Arrays.copyOf(receivedAt, length);
            Arrays.fill(grown, receivedAt.length, length, NOT_RECEIVED);
            receivedAt = grown;
        }
        receivedAt[(int) offset] = now;
    }

    /** When the record at {@code offset} was received (epoch ms), or -1 if it was not (yet). */
    long receivedAt(long offset) {
        synchronized (lock) {
            long at = offset < receivedAt.length ? receivedAt[(int) offset] : NOT_RECEIVED;
            return at == NOT_RECEIVED ? -1 : at;
        }
    }

    @Override
    public void close() {
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close();
        if (failure != null) {
            throw new IllegalStateException("the due-event receiver failed", failure);
        }
    }
}
