package io.cronstream.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.cronstream.app.CronstreamApp;
import io.cronstream.app.CronstreamService;
import io.cronstream.app.Settings;
import io.cronstream.devstack.EmbeddedKafka;
import io.cronstream.schemas.Alert;
import io.cronstream.schemas.AlertKind;
import io.cronstream.schemas.JsonCodec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The service as deployed, on an embedded broker: alerts on {@code cronstream.alerts} reach the global webhook
 * through the notifier (the job looked up through the API), {@code GET /api/v1/alerts} through interactive queries,
 * and their counts {@code /metrics}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlertsServiceTest {

    private static final JsonCodec<Alert> CODEC = JsonCodec.of(Alert.class);

    private Path dir;
    private EmbeddedKafka kafka;
    private HttpServer hook;
    private final List<String> delivered = new CopyOnWriteArrayList<>();
    private CronstreamService service;
    private KafkaProducer<byte[], byte[]> producer;

    @BeforeAll
    void start() throws IOException {
        dir = Files.createTempDirectory("alerts-service");
        kafka = EmbeddedKafka.start(0, dir.resolve("kafka"), true);
        hook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hook.createContext("/hook", exchange -> {
            delivered.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        hook.start();
        Settings settings = Instances.settings("alerts-service", kafka.bootstrapServers(), dir.resolve("state"),
                Instances.freePort(), Map.of(
                        "cronstream.notify.webhooks", "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook",
                        "cronstream.notify.on", "FAILED,PAUSED"));
        CronstreamApp app = new CronstreamApp(settings);
        kafka.createTopics(app.topics().all().stream().map(topic -> new NewTopic(topic, 2, (short) 1)).toList());
        service = new CronstreamService(app, CronstreamApp.apiSettings(settings), Clock.systemUTC()).start();
        await().atMost(Duration.ofSeconds(90)).until(() -> Instances.running(service));
        // the notifier's group starts at the latest alert: send once it has its partitions
        await().atMost(Duration.ofSeconds(60)).until(() -> notifierAssigned("alerts-service-notifier"));
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterAll
    void stop() {
        if (producer != null) {
            producer.close();
        }
        if (service != null) {
            service.close();
        }
        hook.stop(0);
        kafka.close();
    }

    private boolean notifierAssigned(String group) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            return admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().stream()
                    .mapToInt(member -> member.assignment().topicPartitions().size()).sum() == 2;
        }
    }

    @Test
    void alertsAreNotifiedListedAndCounted() {
        Instant at = Instant.parse("2026-03-01T00:00:00Z");
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            AlertKind kind = i % 2 == 0 ? AlertKind.FAILED : AlertKind.STUCK;
            alerts.add(new Alert(kind, "job-" + i, "job-" + i + "@1", 1, at.plusSeconds(i), "because " + i));
        }
        alerts.forEach(alert -> producer.send(new ProducerRecord<>("cronstream.alerts",
                alert.jobId().getBytes(StandardCharsets.UTF_8), CODEC.write(alert))));
        producer.flush();

        // FAILED only (cronstream.notify.on): jobs 0, 2 and 4
        await().atMost(Duration.ofSeconds(60)).until(() -> delivered.size() >= 3);
        assertThat(delivered).hasSize(3).allSatisfy(body -> assertThat(body).contains("\"kind\":\"FAILED\"")
                .contains("\"text\":\"[FAILED] job job-"));

        await().atMost(Duration.ofSeconds(60)).until(() -> {
            Http.Response page = Http.get(Instances.url(service, "/api/v1/alerts?limit=4"));
            return page.status() == 200 && page.json().get("items").size() == 4;
        });
        JsonNode first = Http.get(Instances.url(service, "/api/v1/alerts?limit=4")).json();
        List<String> jobs = new ArrayList<>();
        first.get("items").forEach(alert -> jobs.add(alert.get("jobId").asText()));
        assertThat(jobs).containsExactly("job-5", "job-4", "job-3", "job-2");
        JsonNode second = Http.get(Instances.url(service, "/api/v1/alerts?limit=4&cursor=" + first.get("next").asText()))
                .json();
        second.get("items").forEach(alert -> jobs.add(alert.get("jobId").asText()));
        assertThat(jobs).containsExactly("job-5", "job-4", "job-3", "job-2", "job-1", "job-0");
        assertThat(second.get("next").isNull()).isTrue();

        String metrics = Http.get(Instances.url(service, "/metrics")).body();
        assertThat(metrics).contains("cronstream_alerts_total{kind=\"FAILED\"} 3.0")
                .contains("cronstream_alerts_total{kind=\"STUCK\"} 3.0");
    }
}
