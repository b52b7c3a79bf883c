package io.cronstream.workers.watch;

import io.cronstream.workers.kafka.KafkaSends;
import io.cronstream.schemas.FileChangeEvent;
import io.cronstream.schemas.JsonCodec;
import java.util.List;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Publishes file changes to {@code cronstream.file-changes}, keyed by libraryId as the topology requires. */
public final class KafkaChangeSink implements ChangeSink {

    private static final JsonCodec<FileChangeEvent> CODEC = JsonCodec.of(FileChangeEvent.class);

    private final Producer<String, byte[]> producer;
    private final String topic;

    public KafkaChangeSink(Producer<String, byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    @Override
    public void publish(List<FileChangeEvent> events) {
        KafkaSends.sendAll(producer, events.stream()
                .map(event -> new ProducerRecord<>(topic, event.libraryId(), CODEC.write(event)))
                .toList());
    }
}
