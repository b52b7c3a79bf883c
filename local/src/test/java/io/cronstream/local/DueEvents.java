package io.cronstream.local;

import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.JsonCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads {@code cronstream.job-due} from the beginning as a consumer must: read_committed. */
public final class DueEvents implements AutoCloseable {

    private static final JsonCodec<DueEvent> DUE = JsonCodec.of(DueEvent.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<DueEvent> seen = new ArrayList<>();

    public DueEvents(String bootstrap, String topic) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Everything read so far, after one more poll. */
    public List<DueEvent> poll() {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            seen.add(DUE.read(record.value()));
        }
        return List.copyOf(seen);
    }

    public List<DueEvent> forJob(String jobId) {
        return poll().stream().filter(d -> d.jobId().equals(jobId)).toList();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
