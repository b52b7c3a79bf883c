package io.cronstream.connectors;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads the one-partition jobs topic the connector writes, from the beginning, keeping every record in order. */
public final class JobsTopicReader implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> records = new CopyOnWriteArrayList<>();

    public JobsTopicReader(String bootstrapServers, String topic) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringDeserializer(), new StringDeserializer());
        TopicPartition partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
    }

    /** Waits until {@code key} has at least {@code count} records. */
    public void awaitRecords(String key, int count) {
        await().atMost(Duration.ofSeconds(60)).pollInSameThread().pollInterval(Duration.ofMillis(1)).until(() -> {
            consumer.poll(Duration.ofMillis(20)).forEach(records::add);
            return recordsFor(key).size() >= count;
        });
    }

    public List<ConsumerRecord<String, String>> recordsFor(String key) {
        return records.stream().filter(record -> key.equals(record.key())).toList();
    }

    /** Every record read so far, in topic order. */
    public List<ConsumerRecord<String, String>> all() {
        return List.copyOf(records);
    }

    public static Map<String, Object> document(ConsumerRecord<String, String> record) {
        try {
            return JSON.readValue(record.value(), new TypeReference<>() { });
        } catch (Exception e) {
            throw new AssertionError("Not a JSON document: " + record.value(), e);
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
