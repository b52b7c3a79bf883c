package io.cronstream.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cronstream.app.CronstreamApp;
import io.cronstream.app.Settings;
import io.cronstream.devstack.EmbeddedKafka;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.JsonCodec;
import io.cronstream.ticker.JobState;
import io.cronstream.ticker.TickerTopology;
import io.cronstream.ticker.job.JobDefinition;
import io.cronstream.ticker.job.JobDefinitionParser;
import io.cronstream.ticker.job.ParsedJob;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/**
 * Punctuations stay well inside their transaction on a real broker: a FIRE_ALL every-second job back
 * after an hour down and 60,000 jobs due in the same second fire exactly once each (read_committed),
 * with no task fenced and no rebalance.
 *
 * <p>The hour of downtime is real state, not a mock: the test writes the stores' changelogs as an
 * instance would have left them an hour ago (the jobs and their index entries, due an hour back and
 * now), and Kafka Streams restores them on start, as after a restart.
 */
class PunctuationBoundsTest {

    private static final int PARTITIONS = 2;
    private static final int ONCE_JOBS = 60_000;
    private static final String APP_ID = "punctuation-bounds";
    private static final JsonCodec<DueEvent> DUE = JsonCodec.of(DueEvent.class);

    @Test
    void aLongCatchUpAndSixtyThousandJobsDueAtOnceFireOnceWithoutFencingOrRebalance() throws Exception {
        Path dir = Files.createTempDirectory("punctuation-bounds");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(0, dir.resolve("kafka"), true)) {
            CronstreamApp app = new CronstreamApp(Settings.of(Map.ofEntries(
                    Map.entry("cronstream.application.id", APP_ID),
                    Map.entry("cronstream.bootstrap.servers", kafka.bootstrapServers()),
                    Map.entry("cronstream.state.dir", dir.resolve("state").toString()),
                    Map.entry("cronstream.replication.factor", "1"),
                    Map.entry("cronstream.ticker.punctuate.interval", "PT0.2S"),
                    Map.entry("cronstream.kafka.num.stream.threads", "1"))));
            List<NewTopic> topics = new ArrayList<>(app.topics().all().stream()
                    .map(topic -> new NewTopic(topic, PARTITIONS, (short) 1)).toList());
            for (String store : List.of(TickerTopology.JOBS_STORE, TickerTopology.SCHEDULE_STORE)) {
                topics.add(new NewTopic(APP_ID + "-" + store + "-changelog", PARTITIONS, (short) 1)
                        .configs(Map.of("cleanup.policy", "compact")));
            }
            kafka.createTopics(topics);

            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            Instant downSince = now.minus(Duration.ofHours(1));
            Instant onceAt = now.plusSeconds(3);
            // Not idempotent: sequence numbers on partitions whose leader is still being elected can make the
            // broker refuse a retry as out of order, and every key here is written once, so order does not matter.
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                    ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024,
                    ProducerConfig.LINGER_MS_CONFIG, 20), new ByteArraySerializer(), new ByteArraySerializer())) {
                leftBehind(producer, "catch-up", "{\"cron\": \"* * * * * *\", \"misfirePolicy\": \"FIRE_ALL\", "
                        + "\"catchupWindow\": \"PT2H\"}", downSince, downSince);
                for (int i = 0; i < ONCE_JOBS; i++) {
                    leftBehind(producer, "once-" + i, "{\"scheduleType\": \"Once\", \"runAt\": \"" + onceAt + "\"}",
                            downSince, onceAt);
                }
            }

            List<String> transitions = Collections.synchronizedList(new ArrayList<>());
            List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
            try (KafkaStreams streams = new KafkaStreams(app.topology(), app.streamsProperties());
                    KafkaConsumer<String, byte[]> due = readCommitted(kafka, app.topics().jobDue())) {
                streams.setStateListener((to, from) -> transitions.add(from + "->" + to));
                streams.setUncaughtExceptionHandler(e -> {
                    errors.add(e);
                    return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                            .REPLACE_THREAD;
                });
                streams.start();

                Map<String, Integer> fires = new ConcurrentHashMap<>();
                Set<Instant> catchUp = ConcurrentHashMap.newKeySet();
                List<String> twice = Collections.synchronizedList(new ArrayList<>());
                Instant lastCatchUpSecond = now.plusSeconds(5);
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(10)).until(() -> {
                    for (ConsumerRecord<String, byte[]> record : due.poll(Duration.ofMillis(200))) {
                        DueEvent event = DUE.read(record.value());
                        if (fires.merge(event.runId(), 1, Integer::sum) > 1) {
                            twice.add(event.runId());
                        }
                        if (event.jobId().equals("catch-up")) {
                            catchUp.add(event.scheduledFor());
                        }
                    }
                    long once = fires.keySet().stream().filter(runId -> runId.startsWith("once-")).count();
                    return once == ONCE_JOBS && catchUp.contains(lastCatchUpSecond);
                });
                assertThat(twice).as("runs fired twice").isEmpty();
                assertThat(errors).as("stream thread failures").isEmpty();
                assertThat(transitions).as("no rebalance once running (a fenced task rejoins the group)")
                        .filteredOn(t -> t.startsWith("RUNNING->")).isEmpty();
                // Every second of the hour down and since, once.
                List<Instant> expected = new ArrayList<>();
                for (Instant t = downSince; !t.isAfter(lastCatchUpSecond); t = t.plusSeconds(1)) {
                    expected.add(t);
                }
                assertThat(catchUp).containsAll(expected);
                assertThat(fires.keySet().stream().filter(runId -> runId.startsWith("catch-up@")).count())
                        .isEqualTo(catchUp.size());
            }
        }
    }

    /**
     * Writes {@code jobId}'s state and its schedule-index entry to the stores' changelogs as the ticker
     * leaves them: the job was first seen at {@code seenAt}, next due at {@code nextFireAt}.
     */
    private static void leftBehind(KafkaProducer<byte[], byte[]> producer, String jobId, String document,
            Instant seenAt, Instant nextFireAt) {
        byte[] key = jobId.getBytes(StandardCharsets.UTF_8);
        JobDefinition definition = ((ParsedJob.Defined) new JobDefinitionParser(JobDefinitionParser.Defaults.standard())
                .parse(key, document.getBytes(StandardCharsets.UTF_8), seenAt)).definition();
        JobState state = JobState.first(definition, seenAt, nextFireAt);
        int partition = Utils.toPositive(Utils.murmur2(key)) % PARTITIONS;
        producer.send(new ProducerRecord<>(APP_ID + "-" + TickerTopology.JOBS_STORE + "-changelog", partition, key,
                TickerTopology.JOB_STATES.write(state)));
        byte[] indexKey = ByteBuffer.allocate(Long.BYTES + key.length)
                .putLong(nextFireAt.toEpochMilli() ^ Long.MIN_VALUE).put(key).array();
        producer.send(new ProducerRecord<>(APP_ID + "-" + TickerTopology.SCHEDULE_STORE + "-changelog", partition,
                indexKey, new byte[0]));
    }

    private static KafkaConsumer<String, byte[]> readCommitted(EmbeddedKafka kafka, String topic) {
        Map<String, Object> config = new HashMap<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000));
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            partitions.add(new TopicPartition(topic, p));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }
}
