package io.cronstream.local.faults;

import io.cronstream.schemas.JsonCodec;
import io.cronstream.schemas.ProgressKind;
import io.cronstream.schemas.StageProgressEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A worker reporting one run's progress at a steady rate: {@code RUN_STARTED}, a stage with a large
 * total, then one {@code PROGRESS} (increment 1, no eventId) per tick. Without eventIds only
 * exactly-once processing keeps an increment from being counted twice or not at all. Counts what the
 * broker acknowledged; a send that fails is recorded and fails the test.
 */
final class ProgressStream implements AutoCloseable {

    private static final JsonCodec<StageProgressEvent> PROGRESS = JsonCodec.of(StageProgressEvent.class);

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final String runId;
    private final String stage;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "fault-test-worker");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    ProgressStream(KafkaProducer<String, byte[]> producer, String topic, String runId, String stage) {
        this.producer = producer;
        this.topic = topic;
        this.runId = runId;
        this.stage = stage;
    }

    ProgressStream start(Duration every) {
        send(ProgressKind.RUN_STARTED, null, 1_000_000_000L);
        send(ProgressKind.STAGE_STARTED, stage, 1_000_000_000L);
        producer.flush();
        long micros = every.toNanos() / 1000;
        ticker.scheduleAtFixedRate(() -> {
            sent.incrementAndGet();
            producer.send(record(ProgressKind.PROGRESS, stage, null), (meta, e) -> {
                if (e == null) {
                    acknowledged.incrementAndGet();
                } else {
                    failure.compareAndSet(null, e);
                }
            });
        }, micros, micros, TimeUnit.MICROSECONDS);
        return this;
    }

    /** Stops sending and returns the number of PROGRESS events the broker acknowledged. */
    long stop() throws InterruptedException {
        ticker.shutdown();
        ticker.awaitTermination(10, TimeUnit.SECONDS);
        producer.flush();
        if (failure.get() != null) {
            throw new IllegalStateException("a progress event was not acknowledged", failure.get());
        }
        if (acknowledged.get() != sent.get()) {
            throw new IllegalStateException(sent.get() + " progress events sent, " + acknowledged.get() + " acknowledged");
        }
        return acknowledged.get();
    }

    long acknowledged() {
        return acknowledged.get();
    }

    private void send(ProgressKind kind, String stageName, Long total) {
        producer.send(record(kind, stageName, kind == ProgressKind.STAGE_STARTED ? total : null));
    }

    private ProducerRecord<String, byte[]> record(ProgressKind kind, String stageName, Long total) {
        StageProgressEvent event = new StageProgressEvent(runId, null, null, stageName, kind, total, null, null, null,
                null, Instant.now(), null);
        return new ProducerRecord<>(topic, runId, PROGRESS.write(event));
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
