package io.cronstream.ticker;

import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.schemas.DueEvent;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** DESIGN §4 pause fields: no fire before {@code pausedUntil}, resumes by itself after it; {@code pausedBy} alone pauses until resumed. */
class PauseTest {

    private static final Instant START = Instant.parse("2026-01-05T10:00:30Z");
    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final String EVERY_MINUTE = "\"cronExpression\": \"* * * * *\"";

    private final TickerHarness ticker = new TickerHarness(START);

    @AfterEach
    void close() {
        ticker.close();
    }

    @Test
    void pauseWithAnEndFiresNothingBeforeItAndResumesByItself() {
        ticker.putJob("digest", "{" + EVERY_MINUTE + "}");
        ticker.runUntil(Instant.parse("2026-01-05T10:02:10Z"), SECOND);
        assertThat(ticker.due()).extracting(DueEvent::scheduledFor)
                .containsExactly(Instant.parse("2026-01-05T10:01:00Z"), Instant.parse("2026-01-05T10:02:00Z"));

        ticker.putJob("digest", "{" + EVERY_MINUTE + ", \"pausedUntil\": \"2026-01-05T10:10:00Z\","
                + " \"pauseNote\": \"maintenance\", \"pausedBy\": \"alice\"}");
        assertThat(ticker.job("digest").nextFireAt()).isEqualTo(Instant.parse("2026-01-05T10:10:00Z"));
        assertThat(ticker.job("digest").definition().pause().note()).isEqualTo("maintenance");

        ticker.runUntil(Instant.parse("2026-01-05T10:12:10Z"), SECOND);
        assertThat(ticker.due()).as("nothing while paused, then every minute again without anyone resuming it")
                .extracting(DueEvent::scheduledFor).containsExactly(Instant.parse("2026-01-05T10:10:00Z"),
                        Instant.parse("2026-01-05T10:11:00Z"), Instant.parse("2026-01-05T10:12:00Z"));
    }

    @Test
    void pauseWithoutAnEndHoldsUntilResumed() {
        ticker.putJob("digest", "{" + EVERY_MINUTE + ", \"pausedBy\": \"alice\", \"pauseNote\": \"incident\"}");
        assertThat(ticker.job("digest").nextFireAt()).isNull();
        ticker.runUntil(Instant.parse("2026-01-05T10:05:10Z"), SECOND);
        assertThat(ticker.due()).isEmpty();

        ticker.putJob("digest", "{" + EVERY_MINUTE + "}");
        ticker.runUntil(Instant.parse("2026-01-05T10:06:10Z"), SECOND);
        assertThat(ticker.due()).as("resumed from now: the paused minutes are not caught up")
                .extracting(DueEvent::scheduledFor).containsExactly(Instant.parse("2026-01-05T10:06:00Z"));
    }

    @Test
    void anUnreadablePauseEndIsInvalidAndNeverFires() {
        ticker.putJob("digest", "{" + EVERY_MINUTE + ", \"pausedUntil\": \"tomorrow\"}");
        assertThat(ticker.job("digest").definition().valid()).isFalse();
        assertThat(ticker.job("digest").definition().error()).startsWith("field 'pausedUntil': expected an ISO-8601");
    }
}
