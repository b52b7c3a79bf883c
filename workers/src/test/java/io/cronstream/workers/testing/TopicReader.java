package io.cronstream.workers.testing;

import io.cronstream.schemas.JsonCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a whole topic from the beginning, as committed records, parsed with the production codec (so a
 * record that does not match its schema fails the test). Meant to be polled from inside Awaitility checks.
 */
public final class TopicReader<T> implements AutoCloseable {

    /** A parsed record with its key. */
    public record Keyed<T>(String key, T value) {
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final JsonCodec<T> codec;
    private final List<Keyed<T>> records = new ArrayList<>();

    public TopicReader(String bootstrapServers, String topic, JsonCodec<T> codec) {
        this.codec = codec;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /**
     * Every record written (and committed) before this call, and perhaps some after: reads up to the end
     * offsets as they are now, so an acknowledged send is always seen.
     */
    public synchronized List<Keyed<T>> records() {
        Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
        do {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                records.add(new Keyed<>(record.key(), codec.read(record.value())));
            }
        } while (ends.entrySet().stream().anyMatch(end -> consumer.position(end.getKey()) < end.getValue()));
        return List.copyOf(records);
    }

    public List<T> values(Predicate<Keyed<T>> which) {
        return records().stream().filter(which).map(Keyed::value).toList();
    }

    @Override
    public synchronized void close() {
        consumer.close();
    }
}
