package io.cronstream.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cronstream.app.CronstreamApp;
import io.cronstream.app.CronstreamService;
import io.cronstream.app.Settings;
import io.cronstream.devstack.EmbeddedKafka;
import io.cronstream.schemas.Command;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.JsonCodec;
import io.cronstream.schemas.RunSnapshot;
import io.cronstream.schemas.RunStatus;
import io.cronstream.schemas.Trigger;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Output someone waits for does not wait for the commit interval: with exactly-once commits every ten minutes, a
 * triggered fire and a run's new status are readable ({@code read_committed}) within seconds, because they ask for
 * their commit ({@code PromptCommits}). Without that ask, nothing would be readable for ten minutes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PromptCommitsServiceTest {

    private static final JsonCodec<DueEvent> DUE = JsonCodec.of(DueEvent.class);
    private static final JsonCodec<Command> COMMANDS = JsonCodec.of(Command.class);
    private static final JsonCodec<RunSnapshot> RUNS = JsonCodec.of(RunSnapshot.class);
    /** Far beyond the test's waits; the transaction timeout must exceed it (the broker allows up to 15 minutes). */
    private static final Duration COMMIT_INTERVAL = Duration.ofMinutes(10);
    /** Each wait: a tenth of the commit interval, plenty for a fire and a commit on a busy machine. */
    private static final Duration WAIT = Duration.ofSeconds(60);

    private Path dir;
    private EmbeddedKafka kafka;
    private CronstreamApp app;
    private CronstreamService service;
    private KafkaProducer<String, String> producer;

    @BeforeAll
    void start() throws IOException {
        dir = Files.createTempDirectory("prompt-commits");
        kafka = EmbeddedKafka.start(0, dir.resolve("kafka"), true);
        Settings settings = Instances.settings("prompt-commits", kafka.bootstrapServers(), dir.resolve("state"),
                Instances.freePort(), Map.of(
                        "cronstream.kafka.commit.interval.ms", Long.toString(COMMIT_INTERVAL.toMillis()),
                        "cronstream.kafka.producer.transaction.timeout.ms", Long.toString(COMMIT_INTERVAL.toMillis() + 60_000)));
        app = new CronstreamApp(settings);
        service = Instances.start(kafka, app, settings, 1);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new StringSerializer());
    }

    @AfterAll
    void stop() {
        Instances.closeAll(producer, service, kafka);
    }

    /**
     * Each step needs its own ask: the job and the trigger cross the ticker's repartition (the gate asks), the due
     * event is the ticker's (the emitter asks), and the run's RUNNING status the runs' processor's (it asks); the job
     * fires on February 29th only, so no other fire commits anything in between.
     */
    @Test
    void aTriggeredFireAndTheRunsNewStatusAreReadableLongBeforeTheCommitInterval() {
        producer.send(new ProducerRecord<>(app.topics().jobs(), "prompt",
                "{\"name\": \"prompt\", \"cron\": \"0 0 29 2 *\"}"));
        producer.send(new ProducerRecord<>(app.topics().commands(), "prompt",
                new String(COMMANDS.write(Command.trigger("prompt", "test", Instant.now())), StandardCharsets.UTF_8)));
        producer.flush();

        DueEvent due;
        try (KafkaConsumer<String, byte[]> consumer = readCommitted(app.topics().jobDue())) {
            List<DueEvent> read = new ArrayList<>();
            await().atMost(WAIT).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> read.add(DUE.read(record.value())));
                assertThat(read).extracting(DueEvent::trigger).containsExactly(Trigger.MANUAL);
            });
            due = read.get(0);
        }

        producer.send(new ProducerRecord<>(app.topics().stageProgress(), due.runId(), """
                {"runId": "%s", "kind": "RUN_STARTED", "at": "%s"}""".formatted(due.runId(), Instant.now())));
        producer.flush();
        try (KafkaConsumer<String, byte[]> consumer = readCommitted(app.topics().runStatus())) {
            List<RunSnapshot> statuses = new ArrayList<>();
            await().atMost(WAIT).untilAsserted(() -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    statuses.add(RUNS.read(record.value()));
                }
                assertThat(statuses).anyMatch(run -> run.runId().equals(due.runId()) && run.status() == RunStatus.RUNNING);
            });
        }
    }

    private KafkaConsumer<String, byte[]> readCommitted(String topic) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer());
        TopicPartition partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        return consumer;
    }
}
