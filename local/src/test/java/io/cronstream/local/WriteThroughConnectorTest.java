package io.cronstream.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cronstream.app.Settings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A write through the API reaches the ticker through the real connector: the embedded stack of
 * {@code ./cronstream dev} (broker, MongoDB-wire server, Connect with the MongoDB source connector,
 * Cronstream). Also measures write → applied ({@code ?wait=true}) over {@code cronstream.bench.writes}
 * writes (default 50, after 10 warm-up writes) for bench/RESULTS.md.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WriteThroughConnectorTest {

    private static final Logger LOG = LoggerFactory.getLogger(WriteThroughConnectorTest.class);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private DevStack stack;

    @BeforeAll
    void start() throws Exception {
        stack = DevStack.start(Files.createTempDirectory("cronstream-writes"), DevStack.Ports.ANY_FREE, true,
                Settings.of(EndToEndContract.QUICK));
        // Until Kafka Streams runs, nothing is applied: a write would wait out its bound.
        await().atMost(EndToEndContract.PATIENCE).until(() -> call("GET", "/ready", null).status() == 200);
    }

    @AfterAll
    void stop() {
        stack.close();
    }

    private record Answer(int status, JsonNode body) {
    }

    private Answer call(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(stack.apiUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer dev-token")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body().isEmpty() ? null : JSON.readTree(response.body()));
    }

    @Test
    void aWriteThroughTheApiReachesTheTickerThroughTheConnector() throws Exception {
        Answer created = call("POST", "/api/v1/jobs?wait=true",
                "{\"_id\": \"written\", \"name\": \"Written\", \"cronExpression\": \"0 9 * * *\"}");
        assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
        assertThat(created.body().get("applied").asBoolean()).isTrue();
        JsonNode job = call("GET", "/api/v1/jobs/written", null).body();
        assertThat(job.get("version").asLong()).isEqualTo(1);
        assertThat(job.get("nextFireAt").asText()).endsWith("T09:00:00Z");

        Answer patched = call("PATCH", "/api/v1/jobs/written?wait=true", "{\"cronExpression\": \"0 10 * * *\"}");
        assertThat(patched.status()).as(String.valueOf(patched.body())).isEqualTo(200);
        assertThat(patched.body().get("applied").asBoolean()).isTrue();
        JsonNode after = call("GET", "/api/v1/jobs/written", null).body();
        assertThat(after.get("nextFireAt").asText()).as("the ticker rescheduled it").endsWith("T10:00:00Z");
        assertThat(after.get("updatedBy").asText()).isEqualTo("api-token");

        Answer paused = call("POST", "/api/v1/jobs/written/pause?wait=true", "{\"note\": \"maintenance\"}");
        assertThat(paused.body().get("applied").asBoolean()).isTrue();
        assertThat(call("GET", "/api/v1/jobs/written", null).body().get("nextFireAt").isNull()).isTrue();

        assertThat(call("DELETE", "/api/v1/jobs/written?wait=true", null).status()).isEqualTo(204);
        assertThat(call("GET", "/api/v1/jobs/written", null).status()).isEqualTo(404);
    }

    @Test
    void writeToAppliedLatency() throws Exception {
        int writes = Integer.getInteger("cronstream.bench.writes", 50);
        assertThat(call("POST", "/api/v1/jobs?wait=true", "{\"_id\": \"timed\", \"cronExpression\": \"0 0 * * *\"}")
                .status()).isEqualTo(201);
        for (int i = 0; i < 10; i++) {
            // warm-up, not counted: the first requests pay for class loading and JIT
            call("PATCH", "/api/v1/jobs/timed?wait=true", "{\"cronExpression\": \"" + i + " 6 * * *\"}");
        }
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < writes; i++) {
            long started = System.nanoTime();
            Answer answer = call("PATCH", "/api/v1/jobs/timed?wait=true",
                    "{\"cronExpression\": \"" + (i % 60) + " " + (i % 24) + " * * *\"}");
            millis.add((System.nanoTime() - started) / 1e6);
            assertThat(answer.body().get("applied").asBoolean()).as("write %d", i).isTrue();
        }
        report("write -> applied (?wait=true)", millis);

        // The same split in two: the API's MongoDB write alone, then the connector and the ticker.
        List<Double> writeOnly = new ArrayList<>();
        List<Double> untilApplied = new ArrayList<>();
        for (int i = 0; i < writes; i++) {
            long started = System.nanoTime();
            Answer answer = call("PATCH", "/api/v1/jobs/timed", "{\"cronExpression\": \"" + (i % 60) + " 5 * * *\"}");
            long written = System.nanoTime();
            long version = answer.body().get("version").asLong();
            while (call("GET", "/api/v1/jobs/timed", null).body().path("version").asLong() < version) {
                Thread.onSpinWait();
            }
            writeOnly.add((written - started) / 1e6);
            untilApplied.add((System.nanoTime() - written) / 1e6);
        }
        report("API write answered (MongoDB find + conditional replace + trail insert)", writeOnly);
        report("answered -> ticker holds the version (connector + ticker)", untilApplied);
    }

    private static void report(String what, List<Double> millis) {
        Collections.sort(millis);
        int n = millis.size();
        double p50 = millis.get((int) Math.ceil(0.50 * n) - 1);
        double p99 = millis.get((int) Math.ceil(0.99 * n) - 1);
        LOG.info("event=write-latency what=\"{}\" writes={} p50_ms={} p99_ms={} max_ms={}", what, n,
                String.format("%.1f", p50), String.format("%.1f", p99), String.format("%.1f", millis.get(n - 1)));
        System.out.printf("%s over %d writes: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", what, n, p50, p99,
                millis.get(n - 1));
    }
}
