package io.cronstream.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cronstream.schemas.Alert;
import io.cronstream.schemas.AlertKind;
import io.cronstream.schemas.JsonCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code GET /api/v1/alerts} and {@code cronstream_alerts_total} over the whole topology in a TopologyTestDriver. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlertRoutesTest {

    private static final AlertKind[] KINDS = {AlertKind.FAILED, AlertKind.STUCK, AlertKind.MISSED};
    private static final int ALERTS = 25;

    private DriverHarness harness;
    /** What was sent, newest first, as the list must show it. */
    private final List<String> expected = new ArrayList<>();

    @BeforeAll
    void start() {
        harness = new DriverHarness();
        TestInputTopic<byte[], byte[]> alerts = harness.driver.createInputTopic(harness.app.topics().alerts(),
                new ByteArraySerializer(), new ByteArraySerializer());
        JsonCodec<Alert> codec = JsonCodec.of(Alert.class);
        for (int i = 0; i < ALERTS; i++) {
            // pairs of alerts share an instant, so the order within one instant is exercised across page ends
            Alert alert = new Alert(KINDS[i % KINDS.length], "job-" + (i % 4), "run-" + i, 1 + i % 2,
                    DriverHarness.START.plusSeconds(i / 2), "why " + i);
            alerts.pipeInput(alert.jobId().getBytes(StandardCharsets.UTF_8), codec.write(alert));
            expected.add(0, "run-" + i);
        }
    }

    @AfterAll
    void stop() {
        harness.close();
    }

    @Test
    void pagesEveryAlertNewestFirstWithoutGapsOrRepeats() {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = ok("/api/v1/alerts?limit=4" + (cursor == null ? "" : "&cursor=" + cursor));
            page.get("items").forEach(alert -> seen.add(alert.get("runId").asText()));
            cursor = page.get("next").isNull() ? null : page.get("next").asText();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(7);
        // within one instant the greater id comes first: job-(i%4) NUL kind NUL run-i
        List<String> byInstant = new ArrayList<>();
        for (int second = (ALERTS - 1) / 2; second >= 0; second--) {
            int first = second * 2;
            List<Integer> same = new ArrayList<>(List.of(first));
            if (first + 1 < ALERTS) {
                same.add(first + 1);
            }
            same.sort((a, b) -> id(b).compareTo(id(a)));
            same.forEach(i -> byInstant.add("run-" + i));
        }
        assertThat(seen).containsExactlyElementsOf(byInstant).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void anAlertShowsItsFieldsAndTheChatLine() {
        JsonNode alert = ok("/api/v1/alerts?limit=1&jobId=job-1&kind=failed").get("items").get(0);
        assertThat(alert.get("kind").asText()).isEqualTo("FAILED");
        assertThat(alert.get("jobId").asText()).isEqualTo("job-1");
        int i = Integer.parseInt(alert.get("runId").asText().substring(4));
        assertThat(i % 3).isZero();
        assertThat(i % 4).isEqualTo(1);
        assertThat(alert.get("message").asText()).isEqualTo("why " + i);
        assertThat(alert.get("text").asText()).startsWith("[FAILED] job job-1, run run-" + i);
        for (String field : List.of("kind", "jobId", "runId", "attempt", "at", "message", "text")) {
            assertThat(alert.has(field)).as(field).isTrue();
        }
    }

    @Test
    void filtersByKindAndJob() {
        JsonNode stuck = ok("/api/v1/alerts?kind=STUCK&limit=1000");
        assertThat(stuck.get("count").asInt()).isEqualTo(8); // i % 3 == 1 for i < 25
        stuck.get("items").forEach(alert -> assertThat(alert.get("kind").asText()).isEqualTo("STUCK"));
        JsonNode job = ok("/api/v1/alerts?jobId=job-2");
        assertThat(job.get("count").asInt()).isEqualTo(6); // i % 4 == 2
        assertThat(job.get("next").isNull()).isTrue();
    }

    @Test
    void refusesABadKindLimitOrCursor() {
        assertThat(Http.get(harness.url("/api/v1/alerts?kind=LOUD")).status()).isEqualTo(400);
        assertThat(Http.get(harness.url("/api/v1/alerts?limit=1001")).status()).isEqualTo(400);
        assertThat(Http.get(harness.url("/api/v1/alerts?cursor=bm9wZQ")).status()).isEqualTo(400);
        assertThat(Http.get(harness.url("/api/v1/alerts?cursor=eyJhdCI6Im5vIn0")).status()).isEqualTo(400);
    }

    @Test
    void metricsCountAlertsByKind() {
        String metrics = Http.get(harness.url("/metrics")).body();
        assertThat(metrics).contains("cronstream_alerts_total{kind=\"FAILED\"} 9.0")
                .contains("cronstream_alerts_total{kind=\"STUCK\"} 8.0")
                .contains("cronstream_alerts_total{kind=\"MISSED\"} 8.0")
                .contains("cronstream_alerts_total{kind=\"PAUSED\"} 0.0");
    }

    private static String id(int i) {
        return "job-" + (i % 4) + '\0' + KINDS[i % KINDS.length] + '\0' + "run-" + i;
    }

    private JsonNode ok(String path) {
        Http.Response response = Http.get(harness.url(path));
        assertThat(response.status()).as(path + " → " + response.body()).isEqualTo(200);
        return response.json();
    }
}
