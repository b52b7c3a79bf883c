package io.cronstream.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code POST /api/v1/schedules/preview} is limited per client like triggers: 429 with Retry-After over the rate. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PreviewLimitTest {

    private static final String ADMIN = "Bearer " + DriverHarness.TOKEN;
    private static final String VIEWER = "Bearer viewer-secret-1";
    private static final String BODY = "{\"cronExpression\": \"0 9 * * MON\"}";

    /** Stands still unless the test moves it, so that the bucket refills only when the test says. */
    private final MovableClock clock = new MovableClock(Instant.parse("2027-01-04T00:00:00Z"));
    private DriverHarness harness;

    @BeforeAll
    void start() {
        harness = new DriverHarness(DriverHarness.START, new ApiSettings("127.0.0.1", 0, "127.0.0.1",
                Optional.of(DriverHarness.TOKEN), ApiSettings.Mode.PRODUCTION, 4096, Duration.ofSeconds(2),
                Duration.ofMinutes(1), List.of(JobWriteRoutesTest.role("reader", "viewer", "viewer-secret-1")),
                ApiSettings.DEFAULT_WRITE_WAIT, Optional.empty(), 2), Optional.empty(), clock);
    }

    @AfterAll
    void stop() {
        harness.close();
    }

    @Test
    void aClientOverTheRateGets429WithRetryAfterAndOthersAreNotHeldBack() {
        assertThat(preview(ADMIN).status()).isEqualTo(200);
        assertThat(preview(ADMIN).status()).isEqualTo(200);
        Http.Response over = preview(ADMIN);
        assertThat(over.status()).isEqualTo(429);
        assertThat(over.header("Retry-After")).isEqualTo("1");
        assertThat(over.json().get("error").asText()).isEqualTo("at most 2 schedule previews per second per client");
        assertThat(over.json().get("status").asInt()).isEqualTo(429);

        assertThat(preview(VIEWER).status()).as("another token has its own previews").isEqualTo(200);

        clock.advance(500); // half a second: one preview more at 2 a second
        assertThat(preview(ADMIN).status()).isEqualTo(200);
        assertThat(preview(ADMIN).status()).isEqualTo(429);
    }

    private Http.Response preview(String token) {
        return Http.post(harness.url("/api/v1/schedules/preview"), BODY, "Authorization", token);
    }
}
