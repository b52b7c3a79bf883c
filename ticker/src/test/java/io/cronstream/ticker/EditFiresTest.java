package io.cronstream.ticker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.Trigger;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 13: an edit that arrives after a fire time but before the punctuation that would emit it. The passed
 * time is dealt with under the definition it was due under (its misfire policy), then the edit applies.
 */
class EditFiresTest {

    private static final Instant START = Instant.parse("2026-01-05T10:00:30Z");
    /** Punctuations at 10:03:30, 10:06:30, ...: 10:05:00 is due 90 s before the one that emits it. */
    private static final Duration PUNCTUATION = Duration.ofMinutes(3);
    private static final String EVERY_5_MIN = "{\"cron\": \"*/5 * * * *\"%s}";

    private TickerHarness ticker = new TickerHarness(START, TickerConfig.defaults(TickerHarness.TOPICS)
            .withPunctuateEvery(PUNCTUATION), TickerHarness.tempDir());

    @AfterEach
    void close() {
        ticker.close();
    }

    private static Instant at(String text) {
        return Instant.parse(text);
    }

    /** To 10:05:10: 10:05 has passed, its punctuation (10:06:30) has not run. */
    private void justAfterAFireTime(String job) {
        ticker.putJob("j", job);
        ticker.runUntil(at("2026-01-05T10:04:30Z"), PUNCTUATION);
        ticker.jump(Duration.ofSeconds(40));
        assertThat(ticker.due()).isEmpty();
        assertThat(ticker.job("j").nextFireAt()).isEqualTo(at("2026-01-05T10:05:00Z"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "{\"cron\": \"*/10 * * * *\"}",                                    // a new series
            "{\"cron\": \"*/5 * * * *\", \"endAt\": \"2026-01-05T10:30:00Z\"}",   // a narrower window
            "{\"cron\": \"*/5 * * * *\", \"startAt\": \"2026-01-05T10:07:00Z\"}", // a later start
            "{\"cron\": \"*/5 * * * *\", \"maxRuns\": 1}",                      // a run limit
            "{\"cron\": \"*/5 * * * *\", \"name\": \"renamed\", \"parameters\": {\"x\": 1}}",
            "{\"cron\": \"*/5 * * * *\", \"isEnabled\": false}"})
    void anEditAfterAFireTimeFiresItFirst(String edited) {
        justAfterAFireTime(EVERY_5_MIN.formatted(""));

        ticker.putJob("j", edited);

        assertThat(ticker.due()).extracting(DueEvent::scheduledFor, DueEvent::trigger)
                .containsExactly(tuple(at("2026-01-05T10:05:00Z"), Trigger.SCHEDULE));
        assertThat(ticker.job("j").fireCount()).isEqualTo(1);
        assertThat(ticker.job("j").lastScheduledFor()).isEqualTo(at("2026-01-05T10:05:00Z"));
        ticker.runUntil(at("2026-01-05T10:07:00Z"), PUNCTUATION);
        assertThat(ticker.dueTimes()).as("fired once, not again by the punctuation")
                .doesNotContain(at("2026-01-05T10:05:00Z"));
    }

    @Test
    void aWindowOnlyEditKeepsTheSeriesAndFiresEachTimeOnce() {
        justAfterAFireTime(EVERY_5_MIN.formatted(""));
        ticker.putJob("j", EVERY_5_MIN.formatted(", \"endAt\": \"2026-01-05T10:20:00Z\""));
        ticker.jump(Duration.ofSeconds(10));
        ticker.putJob("j", EVERY_5_MIN.formatted(", \"endAt\": \"2026-01-05T10:20:00Z\", \"maxRuns\": 3"));

        ticker.runUntil(at("2026-01-05T11:00:00Z"), PUNCTUATION);

        assertThat(ticker.dueTimes()).containsExactly(at("2026-01-05T10:05:00Z"), at("2026-01-05T10:10:00Z"),
                at("2026-01-05T10:15:00Z"));
        assertThat(ticker.job("j").nextFireAt()).isNull();
    }

    /** At 10:06:10 the 10:05 fire is 70 s late, past the misfire threshold (PT1M): the job's policy decides. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"SKIP", "FIRE_ONCE"})
    void aPassedTimeIsHandledByTheMisfirePolicyAndADropIsCounted(String policy) {
        String job = EVERY_5_MIN.formatted(", \"misfirePolicy\": \"" + policy + "\"");
        ticker.putJob("j", job);
        ticker.runUntil(at("2026-01-05T10:04:30Z"), PUNCTUATION);
        ticker.jump(Duration.ofSeconds(100));

        ticker.putJob("j", job.replace("}", ", \"name\": \"renamed\"}"));

        if (policy.equals("SKIP")) {
            assertThat(ticker.due()).isEmpty();
            assertThat(ticker.metric("misfires-skipped-total")).isEqualTo(1);
        } else {
            assertThat(ticker.due()).extracting(DueEvent::scheduledFor, DueEvent::trigger)
                    .containsExactly(tuple(at("2026-01-05T10:05:00Z"), Trigger.CATCHUP));
            assertThat(ticker.metric("misfires-skipped-total")).isZero();
        }
        assertThat(ticker.job("j").nextFireAt()).isEqualTo(at("2026-01-05T10:10:00Z"));
    }
}
