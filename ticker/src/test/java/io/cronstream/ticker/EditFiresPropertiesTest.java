package io.cronstream.ticker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Issue 13: however edits that leave a job's series alone (name, payload, a wider window, a run limit it does
 * not reach, the same series spelled another way) interleave with the clock, every fire time fires exactly once.
 */
class EditFiresPropertiesTest {

    private static final Instant START = Instant.parse("2026-01-05T10:00:30Z");
    private static final List<String> EDITS = List.of(
            "{\"cron\": \"* * * * *\"}",
            "{\"cron\": \"* * * * *\", \"name\": \"renamed\"}",
            "{\"cron\": \"* * * * *\", \"parameters\": {\"x\": 1}}",
            "{\"cron\": \"* * * * *\", \"endAt\": \"2027-01-01T00:00:00Z\"}",
            "{\"cron\": \"* * * * *\", \"startAt\": \"2025-01-01T00:00:00Z\"}",
            "{\"cron\": \"* * * * *\", \"maxRuns\": 1000}",
            "{\"cron\": \"0/1 * * * *\"}",
            "{\"cron\": \"0 * * ? * * *\", \"cronType\": \"QUARTZ\"}");

    /** Move the clock by {@code seconds}, then apply edit {@code edit} (or none when it is negative). */
    record Step(int seconds, int edit) {
    }

    @Property(tries = 25)
    void everyFireTimeFiresOnceWhateverEditsArrive(@ForAll("steps") List<Step> steps) {
        TickerConfig config = TickerConfig.defaults(TickerHarness.TOPICS).withPunctuateEvery(Duration.ofSeconds(20));
        try (TickerHarness ticker = new TickerHarness(START, config, TickerHarness.tempDir())) {
            ticker.putJob("j", EDITS.get(0));
            for (Step step : steps) {
                ticker.jump(Duration.ofSeconds(step.seconds()));
                if (step.edit() >= 0) {
                    ticker.putJob("j", EDITS.get(step.edit()));
                }
            }
            Instant end = ticker.now();
            // past the punctuation that emits the last time up to end
            ticker.runUntil(end.plusSeconds(45), Duration.ofSeconds(20));

            List<Instant> expected = new ArrayList<>();
            for (Instant t = START.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1)); !t.isAfter(end);
                    t = t.plus(Duration.ofMinutes(1))) {
                expected.add(t);
            }
            List<Instant> fired = ticker.dueTimes();
            assertThat(fired).doesNotHaveDuplicates();
            assertThat(fired).filteredOn(t -> !t.isAfter(end)).containsExactlyElementsOf(expected);
        }
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(1, 50),
                Arbitraries.integers().between(-3, EDITS.size() - 1)).as(Step::new);
        return step.list().ofMinSize(5).ofMaxSize(40);
    }
}
