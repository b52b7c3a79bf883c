package io.cronstream.api;

import static io.cronstream.api.Instances.url;
import static io.cronstream.api.Instances.running;
import static io.cronstream.api.Instances.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cronstream.app.CronstreamApp;
import io.cronstream.app.CronstreamService;
import io.cronstream.app.Settings;
import io.cronstream.devstack.EmbeddedKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * DESIGN §7: a list is gathered from the instances holding an active copy of each partition. With one
 * partition per topic and a standby replica, every store is active on one instance and standby on the
 * other; asking the standby for its part would make every list a 503 from either instance.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StandbyListsTest {

    private static final Duration STARTUP = Duration.ofSeconds(120);

    private Path dir;
    private EmbeddedKafka kafka;
    private CronstreamService first;
    private CronstreamService second;
    private final List<String> jobs = new ArrayList<>();

    @BeforeAll
    void start() throws IOException {
        dir = Files.createTempDirectory("standby-lists");
        kafka = EmbeddedKafka.start(0, dir.resolve("kafka"), true);
        CronstreamApp app = new CronstreamApp(settings("unused", 0));
        kafka.createTopics(app.topics().all().stream().map(topic -> new NewTopic(topic, 1, (short) 1)).toList());
        first = service("first").start();
        second = service("second").start();
        IntStream.range(0, 5).forEach(i -> jobs.add("job-" + i));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            jobs.forEach(id -> producer.send(new ProducerRecord<>(app.topics().jobs(), id,
                    "{\"name\": \"" + id + "\", \"cronExpression\": \"0 3 * * *\"}")));
        }
        // both running, and the jobs store held as a standby by the instance that does not own it
        await().atMost(STARTUP).until(() -> running(first) && running(second) && standbyOf(StoreNames.JOBS));
    }

    @AfterAll
    void stop() {
        Instances.closeAll(second, first, kafka);
    }

    @Test
    void listsFromEitherInstanceSkipTheStandbyAndHoldEverything() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (CronstreamService instance : List.of(first, second)) {
                Http.Response list = Http.get(url(instance, "/api/v1/jobs"));
                assertThat(list.status()).as(list.body()).isEqualTo(200);
                assertThat(list.json().get("count").asInt()).isEqualTo(jobs.size());
                for (String route : List.of("/api/v1/runs", "/api/v1/stuck", "/api/v1/libraries")) {
                    Http.Response other = Http.get(url(instance, route));
                    assertThat(other.status()).as(route + " " + other.body()).isEqualTo(200);
                }
            }
        });
    }

    private boolean standbyOf(String store) {
        return first.streams().streamsMetadataForStore(store).stream()
                .anyMatch(host -> host.standbyStateStoreNames().contains(store)
                        && !host.stateStoreNames().contains(store))
                && first.streams().streamsMetadataForStore(store).stream().map(StreamsMetadata::hostInfo)
                        .distinct().count() == 2;
    }

    private CronstreamService service(String name) {
        Settings settings = settings(name, freePort());
        return new CronstreamService(new CronstreamApp(settings), CronstreamApp.apiSettings(settings), Clock.systemUTC());
    }

    private Settings settings(String name, int port) {
        return Instances.settings("api-standby-lists", kafka == null ? "unused:9092" : kafka.bootstrapServers(),
                dir.resolve("state-" + name), port, Map.of("cronstream.kafka.num.standby.replicas", "1"));
    }



}
