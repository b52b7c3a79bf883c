package io.cronstream.ticker;

import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A punctuation stops at its time budget and at its fire budget; what is left fires on the next
 * punctuations, each fire exactly once. The punctuation's clock is the test's: every reading of it
 * costs one millisecond, so "work" is counted, not timed.
 */
class PunctuationBudgetTest {

    private static final Instant START = Instant.parse("2026-01-05T10:00:00.500Z");
    private static final Duration SECOND = Duration.ofSeconds(1);

    /** Each read moves the clock by 1 ms: a 10 ms budget allows about 10 fires per punctuation. */
    private final AtomicLong nanos = new AtomicLong();
    private TickerHarness ticker;

    @AfterEach
    void close() {
        ticker.close();
    }

    private TickerHarness ticker(TickerConfig config) {
        return new TickerHarness(START, config, TickerHarness.tempDir(), () -> nanos.addAndGet(1_000_000));
    }

    @Test
    void manyJobsDueInTheSameSecondAreSpreadOverPunctuationsByTheTimeBudget() {
        ticker = ticker(TickerConfig.defaults(TickerHarness.TOPICS).withPunctuationTimeBudget(Duration.ofMillis(10)));
        for (int i = 0; i < 200; i++) {
            ticker.putJob("once-" + i, "{\"scheduleType\": \"Once\", \"runAt\": \"2026-01-05T10:00:05Z\"}");
        }
        ticker.putJob("every-second", "{\"cron\": \"* * * * * *\"}");

        List<Integer> perPunctuation = new ArrayList<>();
        Set<String> runIds = new HashSet<>();
        List<DueEvent> all = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ticker.jump(SECOND);
            List<DueEvent> due = ticker.due();
            perPunctuation.add(due.size());
            due.forEach(d -> assertThat(runIds.add(d.runId())).as("fired twice: " + d.runId()).isTrue());
            all.addAll(due);
        }
        assertThat(perPunctuation).allMatch(n -> n <= 11);
        assertThat(all).filteredOn(d -> d.jobId().startsWith("once-")).hasSize(200);
        // The every-second job is never starved: every second from 10:00:01 to 10:00:40, once.
        assertThat(all).filteredOn(d -> d.jobId().equals("every-second")).extracting(DueEvent::scheduledFor)
                .containsExactlyElementsOf(secondsFrom(START.plusMillis(500), 40));
        assertThat(ticker.metric("punctuations-cut-total")).isPositive();
    }

    @Test
    void aFireAllCatchUpAfterAnHourDownResumesAcrossPunctuationsByTheFireBudget() {
        ticker = ticker(TickerConfig.defaults(TickerHarness.TOPICS).withMaxFiresPerPunctuation(500));
        ticker.putJob("all", "{\"cron\": \"* * * * * *\", \"misfirePolicy\": \"FIRE_ALL\", \"catchupWindow\": \"PT2H\"}");
        ticker.jump(SECOND);
        assertThat(ticker.dueTimes()).containsExactly(Instant.parse("2026-01-05T10:00:01Z"));

        ticker.jump(Duration.ofHours(1)); // down from 10:00:01.5 to 11:00:01.5
        List<Integer> perPunctuation = new ArrayList<>();
        List<DueEvent> all = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            List<DueEvent> due = ticker.due();
            perPunctuation.add(due.size());
            all.addAll(due);
            ticker.jump(SECOND);
        }
        all.addAll(ticker.due());
        assertThat(perPunctuation).allMatch(n -> n <= 500);
        assertThat(all).extracting(DueEvent::scheduledFor)
                .containsExactlyElementsOf(secondsFrom(Instant.parse("2026-01-05T10:00:02Z"), 3_600 + 10));
        assertThat(all).filteredOn(d -> d.trigger() == Trigger.CATCHUP).isNotEmpty();
    }

    private static List<Instant> secondsFrom(Instant first, int count) {
        List<Instant> times = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            times.add(first.plusSeconds(i));
        }
        return times;
    }
}
