package io.cronstream.app.alerts;

import io.cronstream.schemas.Alert;
import io.cronstream.schemas.DeadLetter;
import io.cronstream.schemas.InvalidRecordException;
import io.cronstream.schemas.JsonCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link AlertHandler} over {@code cronstream.alerts} on a thread of its own, at least once: a consumer of its
 * own group ({@code read_committed}, so alerts of aborted transactions never go out) hands each alert to the handler,
 * writes what the handler could not do to the DLQ as dead letters with the reason, and only then commits the alert's
 * offset. A crash in between repeats the alert. Nothing here stops the service: a hanging webhook or an unreachable
 * MongoDB delays only this thread, and any failure is logged and the alert tried again after a pause.
 */
public final class AlertConsumer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AlertConsumer.class);
    private static final JsonCodec<Alert> CODEC = JsonCodec.of(Alert.class);
    private static final Duration POLL = Duration.ofMillis(500);
    /** After a failure the handler did not settle (Kafka or a job lookup unavailable), the alert is tried again after this. */
    public static final Duration DEFAULT_RETRY_PAUSE = Duration.ofSeconds(5);

    private final String name;
    private final String alertsTopic;
    private final String dlqTopic;
    private final AlertHandler handler;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> dlq;
    private final Duration retryPause;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean started;

    /**
     * @param name        for the thread and the logs ({@code notifier}, {@code auto-pause})
     * @param client      Kafka client settings (bootstrap servers, security)
     * @param groupId     the consumer group, whose committed offsets say which alerts are done
     * @param offsetReset where a new group starts: {@code latest} (from now on) or {@code earliest}
     * @param retryPause  how long an alert waits to be tried again after a failure the handler did not settle
     */
    public AlertConsumer(String name, Map<String, Object> client, String groupId, String offsetReset,
            String alertsTopic, String dlqTopic, AlertHandler handler, Duration retryPause) {
        this.name = name;
        this.retryPause = retryPause;
        this.alertsTopic = alertsTopic;
        this.dlqTopic = dlqTopic;
        this.handler = handler;
        Map<String, Object> consumerConfig = new HashMap<>(client);
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, offsetReset);
        // one alert at a time may take minutes of retries: the group must not think this member died meanwhile
        consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10);
        consumerConfig.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) Duration.ofMinutes(30).toMillis());
        consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId);
        this.consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        Map<String, Object> producerConfig = new HashMap<>(client);
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, groupId + "-dlq");
        this.dlq = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
        this.thread = new Thread(this::run, "cronstream-alerts-" + name);
        thread.setDaemon(true);
    }

    public AlertConsumer start() {
        started = true;
        thread.start();
        log.info("event=alert-consumer-started name={} topic={}", name, alertsTopic);
        return this;
    }

    private void run() {
        try {
            consumer.subscribe(List.of(alertsTopic));
            while (running) {
                List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>();
                consumer.poll(POLL).forEach(batch::add);
                for (ConsumerRecord<byte[], byte[]> record : batch) {
                    if (!running || !handleOrRewind(record)) {
                        break;
                    }
                }
            }
        } catch (WakeupException | InterruptException closing) {
            // close() woke the consumer up
        } catch (InterruptedException closing) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                log.warn("event=alert-consumer-close-failed name={} reason={}", name, e.toString());
            }
            dlq.close(Duration.ofSeconds(5));
        }
    }

    /**
     * Handles one alert and commits it; on an unexpected failure rewinds to it (so it is not skipped), waits, and
     * answers false so the rest of the batch is read again from there.
     */
    private boolean handleOrRewind(ConsumerRecord<byte[], byte[]> record) throws InterruptedException {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        try {
            handle(record);
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(record.offset() + 1)));
            return true;
        } catch (InterruptedException | WakeupException | InterruptException closing) {
            throw closing;
        } catch (RuntimeException e) {
            log.warn("event=alert-handling-failed name={} topic={} partition={} offset={} retryIn={} reason={}", name,
                    record.topic(), record.partition(), record.offset(), retryPause, e.toString());
            consumer.seek(partition, record.offset());
            Thread.sleep(retryPause.toMillis());
            return false;
        }
    }

    private void handle(ConsumerRecord<byte[], byte[]> record) throws InterruptedException {
        Alert alert;
        try {
            alert = CODEC.read(record.value());
        } catch (InvalidRecordException | IllegalArgumentException e) {
            deadLetter(record, "not an alert: " + e.getMessage());
            return;
        }
        for (String failure : handler.handle(alert)) {
            log.warn("event=alert-dead-lettered name={} jobId={} kind={} reason={}", name, alert.jobId(), alert.kind(),
                    failure);
            deadLetter(record, failure);
        }
    }

    /** Waits for the broker's acknowledgement: the offset is committed only once the dead letter is safe. */
    private void deadLetter(ConsumerRecord<byte[], byte[]> record, String reason) throws InterruptedException {
        DeadLetter letter = new DeadLetter(record.key(), record.value(), name + ": " + reason, record.topic(),
                record.partition(), record.offset(), Instant.now());
        Future<RecordMetadata> sent = dlq.send(new ProducerRecord<>(dlqTopic, null, letter.key(), letter.value(),
                letter.toHeaders()));
        try {
            sent.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("dead letter not written to " + dlqTopic + ": " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() {
        running = false;
        if (!started) {
            consumer.close(Duration.ZERO);
            dlq.close(Duration.ZERO);
            return;
        }
        consumer.wakeup();
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(15).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
