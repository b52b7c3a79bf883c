package io.cronstream.api;

import io.cronstream.schemas.Command;
import io.cronstream.schemas.JsonCodec;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes commands with an idempotent producer and {@code acks=all}: a retried send cannot
 * duplicate a trigger, and a 202 means every in-sync replica has it.
 */
public final class KafkaCommandSink implements CommandSink {

    private static final Logger log = LoggerFactory.getLogger(KafkaCommandSink.class);
    private static final JsonCodec<Command> COMMANDS = JsonCodec.of(Command.class);

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final Duration timeout;

    /**
     * @param clientConfig bootstrap servers and any client settings (security, ...) shared with Kafka Streams;
     *                     settings a producer does not know are left out
     */
    public KafkaCommandSink(Map<String, Object> clientConfig, String topic, Duration timeout) {
        Map<String, Object> config = new HashMap<>();
        clientConfig.forEach((key, value) -> {
            if (ProducerConfig.configNames().contains(key)) {
                config.put(key, value);
            }
        });
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "cronstream-api-commands");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout.toMillis() + 1);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        this.topic = topic;
        this.timeout = timeout;
    }

    @Override
    public void send(Command command) {
        try {
            producer.send(new ProducerRecord<>(topic, command.jobId(), COMMANDS.write(command)))
                    .get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted while writing the trigger command");
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            log.warn("event=trigger-write-failed jobId={} topic={} reason={}", command.jobId(), topic, e.toString());
            throw ApiException.unavailable("could not write the trigger command to Kafka; try again");
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
