package io.cronstream.app.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cronstream.schemas.Alert;
import io.cronstream.schemas.AlertKind;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link Webhooks} against real HTTP servers on loopback: one that answers, fails, hangs, or answers slowly. */
class WebhooksTest {

    private static final Alert ALERT = new Alert(AlertKind.FAILED, "nightly", "nightly@2026-03-01T00:00:00Z", 2,
            Instant.parse("2026-03-01T00:05:00Z"), "exit code 1");
    private static final Backoff FAST = new Backoff(5, Duration.ofMillis(10), 2.0, Duration.ofMillis(100));
    private static final Duration TIMEOUT = Duration.ofMillis(500);

    private final Webhooks webhooks = new Webhooks(TIMEOUT, FAST);

    @Test
    void postsTheAlertAsJsonWithTheChatLine() throws Exception {
        try (HookServer hook = HookServer.answering(200)) {
            assertThat(webhooks.deliver(hook.url(), ALERT)).isEmpty();
            assertThat(hook.requests()).isEqualTo(1);
            JsonNode body = new ObjectMapper().readTree(hook.bodies().get(0));
            assertThat(body.get("text").asText()).isEqualTo(ALERT.text())
                    .isEqualTo("[FAILED] job nightly, run nightly@2026-03-01T00:00:00Z (attempt 2): exit code 1");
            assertThat(body.get("kind").asText()).isEqualTo("FAILED");
            assertThat(body.get("jobId").asText()).isEqualTo("nightly");
            assertThat(body.get("runId").asText()).isEqualTo(ALERT.runId());
            assertThat(body.get("attempt").asInt()).isEqualTo(2);
            assertThat(Instant.parse(body.get("at").asText())).isEqualTo(ALERT.at());
            assertThat(body.get("message").asText()).isEqualTo("exit code 1");
        }
    }

    @Test
    void retriesAFailureAndDeliversOnce() throws Exception {
        try (HookServer hook = new HookServer(n -> n == 1 ? 500 : 200, 0)) {
            assertThat(webhooks.deliver(hook.url(), ALERT)).isEmpty();
            assertThat(hook.requests()).isEqualTo(2);
        }
    }

    @Test
    void givesUpAfterTheAttemptsWithTheReasonAndNoSecret() throws Exception {
        try (HookServer hook = HookServer.answering(500)) {
            Optional<String> failure = webhooks.deliver(hook.url(), ALERT);
            assertThat(hook.requests()).isEqualTo(5);
            assertThat(failure).hasValueSatisfying(reason -> assertThat(reason)
                    .contains("not delivered after 5 attempts: HTTP 500")
                    .contains("http://127.0.0.1:" + hook.url().getPort() + "/…")
                    .doesNotContain("secret"));
        }
    }

    @Test
    void doesNotRetryAnAnswerARetryWouldNotChange() throws Exception {
        try (HookServer hook = HookServer.answering(404)) {
            assertThat(webhooks.deliver(hook.url(), ALERT)).hasValueSatisfying(reason -> assertThat(reason)
                    .contains("refused the alert: HTTP 404"));
            assertThat(hook.requests()).isEqualTo(1);
        }
    }

    @Test
    void aHangingWebhookTimesOutIsRetriedThenGivenUp() throws Exception {
        try (HookServer hook = HookServer.answering(HookServer.HANG)) {
            Webhooks three = new Webhooks(TIMEOUT, new Backoff(3, Duration.ofMillis(10), 2.0, Duration.ofMillis(100)));
            Optional<String> failure = three.deliver(hook.url(), ALERT);
            assertThat(failure).hasValueSatisfying(reason -> assertThat(reason)
                    .contains("not delivered after 3 attempts: no answer within PT0.5S"));
            assertThat(hook.requests()).isEqualTo(3);
        }
    }

    @Test
    void aSlowWebhookWithinTheTimeoutIsDeliveredOnce() throws Exception {
        try (HookServer hook = new HookServer(n -> 200, 200)) {
            assertThat(webhooks.deliver(hook.url(), ALERT)).isEmpty();
            assertThat(hook.requests()).isEqualTo(1);
        }
    }

    @Test
    void backoffGrowsAndIsCapped() {
        Backoff backoff = new Backoff(5, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(5));
        assertThat(backoff.after(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.after(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.after(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(backoff.after(4)).isEqualTo(Duration.ofSeconds(5));
    }
}
