package io.cronstream.local.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.cronstream.api.ApiSettings;
import io.cronstream.app.CronstreamService;
import io.cronstream.app.CronstreamApp;
import io.cronstream.app.Settings;
import io.cronstream.devstack.EmbeddedKafka;
import io.cronstream.local.DueEvents;
import io.cronstream.local.Http;
import io.cronstream.local.faults.HostileRecords.Hostile;
import io.cronstream.local.faults.HostileRecords.Outcome;
import io.cronstream.local.faults.HostileRecords.Target;
import io.cronstream.schemas.DeadLetter;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.Topics;
import io.cronstream.schemas.Trigger;
import io.cronstream.ticker.job.JobDefinitionParser;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bad-input corpus ({@link HostileRecords}, over 200 records) end to end: a real Kafka Streams
 * application on the embedded broker, the input topics accepting records up to 8 MB. Every hostile
 * record lands in {@code cronstream.dlq} with its reason and source, or becomes a job kept with
 * {@code valid: false} and an error; the application never leaves RUNNING (no restart, no replaced
 * thread); the valid records sent between the hostile ones are processed exactly as without them.
 */
class BadInputCorpusTest {

    private static final Logger LOG = LoggerFactory.getLogger(BadInputCorpusTest.class);
    private static final int MAX_MESSAGE_BYTES = 8 * 1024 * 1024;
    private static final String RUN = "corpus-run";
    private static final String LIBRARY = "corpus-lib";
    private static final String MANUAL = "corpus-manual";
    private static final String INVALID = "corpus-invalid";
    private static final int VALID_JOBS = 5;
    private static final Duration PATIENCE = Duration.ofMinutes(2);

    @Test
    void everyHostileRecordIsRefusedWithAReasonAndNothingElseChanges() throws Exception {
        Path dir = Files.createTempDirectory("cronstream-corpus");
        Instant now = Instant.now();
        List<Hostile> corpus = HostileRecords.corpus(RUN, LIBRARY, INVALID, now);
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(200);
        assertThat(corpus.stream().map(Hostile::target).distinct()).hasSize(Target.values().length);

        try (EmbeddedKafka kafka = EmbeddedKafka.start(0, dir.resolve("kafka"), true)) {
            Settings settings = Settings.of(Map.of(
                    "cronstream.bootstrap.servers", kafka.bootstrapServers(),
                    "cronstream.state.dir", dir.resolve("streams").toString(),
                    "cronstream.replication.factor", "1",
                    "cronstream.ticker.punctuate.interval", "PT0.2S",
                    "cronstream.api.mode", "dev",
                    "cronstream.api.host", "127.0.0.1",
                    "cronstream.api.advertised.host", "localhost",
                    "cronstream.api.port", "0"));
            CronstreamApp app = new CronstreamApp(settings);
            Topics topics = app.topics();
            kafka.createTopics(topics(topics));
            CronstreamService service = new CronstreamService(app, CronstreamApp.apiSettings(settings), Clock.systemUTC());
            List<String> transitions = Collections.synchronizedList(new ArrayList<>());
            service.streams().setStateListener((to, from) -> transitions.add(from + "→" + to));
            try (KafkaProducer<byte[], byte[]> producer = producer(kafka.bootstrapServers());
                    DueEvents due = new DueEvents(kafka.bootstrapServers(), topics.jobDue())) {
                service.start();
                Http api = new Http("http://localhost:" + service.api().port());
                await().atMost(PATIENCE).until(() -> api.get("/ready").status() == 200);
                List<String> runningThreads = threads(service.streams());
                int transitionsWhenRunning = transitions.size();

                // The valid world the corpus must leave alone.
                for (int i = 0; i < VALID_JOBS; i++) {
                    send(producer, topics.jobs(), "corpus-valid-" + i, "{\"name\": \"valid v0\", \"cronExpression\": \"0 3 * * *\"}");
                }
                send(producer, topics.jobs(), MANUAL, "{\"name\": \"manual\", \"scheduleType\": \"Manual\"}");
                send(producer, topics.jobs(), INVALID, "{\"cronExpression\": \"* * * *\"}");
                send(producer, topics.stageProgress(), RUN, progress("RUN_STARTED", null, now));
                send(producer, topics.stageProgress(), RUN, progress("STAGE_STARTED", "\"total\": 100000", now));
                producer.flush();
                await().atMost(PATIENCE).until(() -> api.get("/api/v1/jobs/" + INVALID).status() == 200
                        && api.get("/api/v1/jobs/" + MANUAL).status() == 200 && api.get("/api/v1/runs/" + RUN).status() == 200);

                // The corpus, with a valid record after every third hostile one.
                Map<Hostile, Future<RecordMetadata>> sent = new LinkedHashMap<>();
                int increments = 0;
                int files = 0;
                int triggers = 0;
                int renames = 0;
                for (int i = 0; i < corpus.size(); i++) {
                    Hostile hostile = corpus.get(i);
                    sent.put(hostile, producer.send(new ProducerRecord<>(topic(topics, hostile.target()), hostile.key(),
                            hostile.value())));
                    if (i % 3 == 2) {
                        switch ((i / 3) % 4) {
                            case 0 -> send(producer, topics.stageProgress(), RUN,
                                    progress("PROGRESS", "\"increment\": 1, \"eventId\": \"valid-" + (++increments) + "\"", now));
                            case 1 -> send(producer, topics.fileChanges(), LIBRARY, "{\"libraryId\": \"" + LIBRARY
                                    + "\", \"path\": \"/valid-" + (++files) + ".jpg\", \"change\": \"ADDED\", \"detectedAt\": \"" + now + "\"}");
                            case 2 -> send(producer, topics.commands(), MANUAL, "{\"type\": \"TRIGGER\", \"jobId\": \"" + MANUAL
                                    + "\", \"triggeredBy\": \"valid\", \"requestedAt\": \"" + now.plusMillis(++triggers) + "\"}");
                            default -> send(producer, topics.jobs(), "corpus-valid-" + (renames % VALID_JOBS),
                                    "{\"name\": \"valid v" + (++renames) + "\", \"cronExpression\": \"0 3 * * *\"}");
                        }
                    }
                }
                producer.flush();
                Map<String, Hostile> expectedDead = new HashMap<>();
                List<String> refusedByBroker = new ArrayList<>();
                for (Map.Entry<Hostile, Future<RecordMetadata>> entry : sent.entrySet()) {
                    try {
                        RecordMetadata meta = entry.getValue().get();
                        if (entry.getKey().outcome() == Outcome.DEAD_LETTER) {
                            expectedDead.put(meta.topic() + "/" + meta.partition() + "/" + meta.offset(), entry.getKey());
                        }
                    } catch (Exception e) {
                        refusedByBroker.add(entry.getKey() + ": " + e.getCause());
                    }
                }
                assertThat(refusedByBroker).as("hostile records the broker refused").isEmpty();

                // Everything arrives: the valid work, the dead letters and the invalid jobs.
                int expectedIncrements = increments;
                int expectedFiles = files;
                int expectedTriggers = triggers;
                await().atMost(PATIENCE).until(() -> api.get("/api/v1/runs/" + RUN).body().path("stages").path("scan")
                        .path("completed").asLong() == expectedIncrements);
                await().atMost(PATIENCE).until(() -> api.get("/api/v1/libraries/" + LIBRARY).body().path("added").asInt()
                        == expectedFiles);
                await().atMost(PATIENCE).until(() -> due.forJob(MANUAL).size() >= expectedTriggers);
                List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
                try (KafkaConsumer<byte[], byte[]> dlq = dlqReader(kafka.bootstrapServers(), topics.dlq())) {
                    await().atMost(PATIENCE).until(() -> {
                        dlq.poll(Duration.ofMillis(200)).forEach(dead::add);
                        return dead.size() >= expectedDead.size();
                    });
                    // and anything beyond: a valid record dead-lettered would show up here
                    dead.addAll(collect(dlq.poll(Duration.ofMillis(500))));
                }

                // Each dead letter is one hostile record, with its reason, source and original bytes.
                Map<String, ConsumerRecord<byte[], byte[]>> letters = new HashMap<>();
                List<String> unexpected = new ArrayList<>();
                for (ConsumerRecord<byte[], byte[]> letter : dead) {
                    String source = header(letter, DeadLetter.SOURCE_TOPIC) + "/" + header(letter, DeadLetter.SOURCE_PARTITION)
                            + "/" + header(letter, DeadLetter.SOURCE_OFFSET);
                    if (!expectedDead.containsKey(source) || letters.put(source, letter) != null) {
                        unexpected.add(source + " " + header(letter, DeadLetter.ERROR));
                    }
                }
                assertThat(unexpected).as("dead letters of records that were valid, or twice").isEmpty();
                List<String> missing = expectedDead.entrySet().stream().filter(e -> !letters.containsKey(e.getKey()))
                        .map(e -> e.getValue().toString()).sorted().toList();
                assertThat(missing).as("hostile records that did not reach the DLQ").isEmpty();
                Map<String, String> reasons = new LinkedHashMap<>();
                for (Map.Entry<String, Hostile> entry : expectedDead.entrySet()) {
                    ConsumerRecord<byte[], byte[]> letter = letters.get(entry.getKey());
                    assertThat(header(letter, DeadLetter.ERROR)).as("reason for %s", entry.getValue()).isNotBlank()
                            .doesNotContainPattern("\\p{Cntrl}");
                    assertThat(letter.key()).as("key of %s", entry.getValue()).isEqualTo(entry.getValue().key());
                    byte[] original = entry.getValue().value();
                    if (original != null && original.length > DeadLetter.MAX_BYTES) {
                        // refused for its size; the DLQ keeps the first bytes and says so
                        assertThat(Arrays.equals(letter.value(), Arrays.copyOf(original, DeadLetter.MAX_BYTES)))
                                .as("first bytes of %s", entry.getValue()).isTrue();
                        assertThat(header(letter, DeadLetter.ERROR)).startsWith("value cut to its first "
                                + DeadLetter.MAX_BYTES + " of " + original.length + " bytes: ");
                    } else {
                        assertThat(Arrays.equals(letter.value(), original)).as("original bytes of %s", entry.getValue()).isTrue();
                    }
                    reasons.put(entry.getValue().toString(), header(letter, DeadLetter.ERROR));
                }

                // Each invalid definition is a job kept with valid: false and a reason.
                List<Hostile> invalidJobs = corpus.stream().filter(h -> h.outcome() == Outcome.INVALID_JOB).toList();
                for (Hostile hostile : invalidJobs) {
                    Http.Answer job = api.get("/api/v1/jobs/" + URLEncoder.encode(hostile.keyText(), StandardCharsets.UTF_8));
                    assertThat(job.status()).as("%s", hostile).isEqualTo(200);
                    assertThat(job.body().path("valid").asBoolean()).as("%s is valid", hostile).isFalse();
                    assertThat(job.body().path("error").asText()).as("error of %s", hostile).isNotBlank();
                    reasons.put(hostile.toString(), "valid:false " + job.body().path("error").asText());
                }
                // A job record too large to cross the repartition also stops its job (fails closed): the job is kept
                // with valid: false, once the limit, then the reason a later unreadable update was refused.
                List<String> stoppedJobs = corpus.stream().filter(h -> h.target() == Target.JOBS && h.value() != null
                        && h.value().length > JobDefinitionParser.MAX_DOCUMENT_BYTES).map(Hostile::keyText).distinct().toList();
                assertThat(stoppedJobs).isNotEmpty();
                for (String id : stoppedJobs) {
                    Http.Answer job = api.get("/api/v1/jobs/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
                    assertThat(job.status()).as(id).isEqualTo(200);
                    assertThat(job.body().path("valid").asBoolean()).as("%s is valid", id).isFalse();
                    assertThat(job.body().path("error").asText()).as("error of %s", id).isNotBlank();
                }
                reasons.forEach((label, reason) -> LOG.info("event=corpus-outcome record=\"{}\" outcome=\"{}\"", label,
                        reason.length() > 160 ? reason.substring(0, 160) + "…" : reason));

                // The valid records, processed as if the corpus had not been there.
                JsonNode run = api.get("/api/v1/runs/" + RUN).body();
                assertThat(run.path("status").asText()).isEqualTo("RUNNING");
                assertThat(run.path("stages").size()).isEqualTo(1);
                assertThat(run.path("stages").path("scan").path("total").asLong()).isEqualTo(100_000);
                assertThat(run.path("stages").path("scan").path("completed").asLong()).isEqualTo(expectedIncrements);
                assertThat(run.path("stages").path("scan").path("failed").asLong()).isZero();
                JsonNode library = api.get("/api/v1/libraries/" + LIBRARY).body();
                assertThat(library.path("added").asInt()).isEqualTo(expectedFiles);
                assertThat(library.path("modified").asInt() + library.path("deleted").asInt()).isZero();
                List<DueEvent> manual = due.forJob(MANUAL);
                assertThat(manual).hasSize(expectedTriggers).allMatch(d -> d.trigger() == Trigger.MANUAL
                        && "valid".equals(d.triggeredBy()));
                for (int i = 0; i < VALID_JOBS; i++) {
                    JsonNode job = api.get("/api/v1/jobs/corpus-valid-" + i).body();
                    assertThat(job.path("valid").asBoolean()).isTrue();
                    assertThat(job.path("cron").asText()).isEqualTo("0 3 * * *");
                }
                JsonNode list = api.get("/api/v1/jobs").body();
                assertThat(list.path("count").asInt()).as("jobs: the valid ones, the invalid and stopped ones, nothing else")
                        .isEqualTo(VALID_JOBS + 2 + invalidJobs.size() + stoppedJobs.size());
                assertThat(due.poll()).allMatch(d -> d.jobId().equals(MANUAL));

                // And the application never stopped.
                assertThat(service.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
                assertThat(transitions.subList(transitionsWhenRunning, transitions.size())).as("state changes").isEmpty();
                assertThat(threads(service.streams())).isEqualTo(runningThreads);
                LOG.info("event=corpus-done hostile={} deadLetters={} invalidJobs={} validInterleaved={}", corpus.size(),
                        expectedDead.size(), invalidJobs.size(), expectedIncrements + expectedFiles + expectedTriggers + renames);
            } finally {
                service.close();
            }
        }
    }

    /** Cronstream's topics; the inputs take records up to 8 MB, so the 5 MB ones reach Cronstream. */
    private static List<NewTopic> topics(Topics topics) {
        List<String> inputs = List.of(topics.jobs(), topics.commands(), topics.stageProgress(), topics.fileChanges());
        return topics.all().stream().map(name -> {
            Map<String, String> configs = new HashMap<>();
            if (inputs.contains(name)) {
                configs.put("max.message.bytes", Integer.toString(MAX_MESSAGE_BYTES));
            }
            if (name.equals(topics.jobs())) {
                configs.put("cleanup.policy", "compact");
            }
            return new NewTopic(name, 3, (short) 1).configs(configs);
        }).toList();
    }

    private static String topic(Topics topics, Target target) {
        return switch (target) {
            case JOBS -> topics.jobs();
            case COMMANDS -> topics.commands();
            case STAGE_PROGRESS -> topics.stageProgress();
            case FILE_CHANGES -> topics.fileChanges();
        };
    }

    private static String progress(String kind, String fields, Instant at) {
        return "{\"runId\": \"" + RUN + "\", " + (kind.equals("RUN_STARTED") ? "" : "\"stage\": \"scan\", ")
                + "\"kind\": \"" + kind + "\", " + (fields == null ? "" : fields + ", ") + "\"at\": \"" + at + "\"}";
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_MESSAGE_BYTES,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String key, String value) {
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8)));
    }

    private static KafkaConsumer<byte[], byte[]> dlqReader(String bootstrap, String topic) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_MESSAGE_BYTES,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    private static List<ConsumerRecord<byte[], byte[]>> collect(Iterable<ConsumerRecord<byte[], byte[]>> records) {
        List<ConsumerRecord<byte[], byte[]>> list = new ArrayList<>();
        records.forEach(list::add);
        return list;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return record.headers().lastHeader(name) == null ? null
                : new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static List<String> threads(KafkaStreams streams) {
        return streams.metadataForLocalThreads().stream().map(ThreadMetadata::threadName).sorted()
                .collect(Collectors.toList());
    }
}
