package io.cronstream.workers.scan;

import io.cronstream.workers.kafka.KafkaSends;
import io.cronstream.schemas.FileChangeEvent;
import io.cronstream.schemas.JsonCodec;
import io.cronstream.schemas.StageProgressEvent;
import io.cronstream.schemas.Topics;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * Stage progress keyed by runId (one run's events stay in order on one partition), file changes keyed by
 * libraryId, through one idempotent producer.
 */
public final class KafkaRunEvents implements RunEvents {

    private static final JsonCodec<StageProgressEvent> PROGRESS = JsonCodec.of(StageProgressEvent.class);
    private static final JsonCodec<FileChangeEvent> FILE_CHANGE = JsonCodec.of(FileChangeEvent.class);

    private final Producer<String, byte[]> producer;
    private final Topics topics;
    /** Progress is sent without waiting, per item; the first failure is kept and raised at the next flush. */
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    public KafkaRunEvents(Producer<String, byte[]> producer, Topics topics) {
        this.producer = producer;
        this.topics = topics;
    }

    @Override
    public void progress(StageProgressEvent event) {
        producer.send(new ProducerRecord<>(topics.stageProgress(), event.runId(), PROGRESS.write(event)),
                (metadata, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
    }

    @Override
    public void fileChanges(List<FileChangeEvent> events) {
        KafkaSends.sendAll(producer, events.stream()
                .map(event -> new ProducerRecord<>(topics.fileChanges(), event.libraryId(), FILE_CHANGE.write(event)))
                .toList());
    }

    @Override
    public void processed(FileChangeEvent report) {
        fileChanges(List.of(report));
    }

    @Override
    public void flush() {
        producer.flush();
        Exception e = failure.getAndSet(null);
        if (e != null) {
            throw new KafkaException("stage progress could not be written: " + e.getMessage(), e);
        }
    }
}
