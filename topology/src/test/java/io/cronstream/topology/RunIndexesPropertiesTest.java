package io.cronstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.ProgressKind;
import io.cronstream.schemas.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The indexes the API reads instead of every run (the counts behind {@code /metrics}, the stuck index behind
 * {@code /api/v1/stuck}, the recency index behind {@code /api/v1/runs}) equal what reading every stored run
 * gives, after any mix of fires, progress, endings, stalls, recoveries, clock steps and expiries.
 */
class RunIndexesPropertiesTest {

    /** One step: what happens to which of a few runs, and how far the clock moves after it. */
    record Step(Kind kind, int run, long millisLater) {
    }

    enum Kind { DUE, STARTED, PROGRESS, COMPLETED, FAILED }

    private static ProgressDriver driver;
    private static int tries;

    @BeforeContainer
    static void start() {
        driver = new ProgressDriver(ProgressConfig.defaults().with(b -> b.runRetention(Duration.ofMinutes(20))));
    }

    @AfterContainer
    static void stop() {
        driver.close();
    }

    /** One driver for the class, so each try meets the runs the earlier ones left (and their expiry). */
    @Property(tries = 100)
    void theIndexesEqualWhatReadingEveryRunGives(@ForAll("steps") List<Step> steps) {
        int attempt = tries++;
        Instant firstFire = driver.now();
        for (Step step : steps) {
            String job = "job-" + attempt + "-" + step.run();
            String runId = DueEvent.runIdFor(job, firstFire);
            Instant now = driver.now();
            switch (step.kind()) {
                case DUE -> driver.due(Events.due(job, firstFire, Trigger.SCHEDULE, null));
                case STARTED -> driver.progress(Events.runStarted(runId, now));
                case PROGRESS -> driver.progress(Events.increment(runId, "work", now));
                case COMPLETED -> driver.progress(Events.run(runId, ProgressKind.RUN_COMPLETED, null, now));
                case FAILED -> driver.progress(Events.run(runId, ProgressKind.RUN_FAILED, "boom", now));
            }
            driver.advance(Duration.ofMillis(step.millisLater()));
            assertThat(driver.runCounts()).isEqualTo(driver.recountRuns());
            assertThat(driver.stuckIndex()).isEqualTo(driver.stuckRunsByReadingAll());
            assertThat(driver.recentIndex()).isEqualTo(driver.recentByReadingAll());
        }
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        // mostly sub-second steps, so several changes share a second; now and then long enough to stall or expire
        Arbitrary<Long> later = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.longs().between(0, 1_500)),
                net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(1_500, 400_000)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(400_000, 2_000_000)));
        return Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.integers().between(0, 4), later)
                .as(Step::new).list().ofMinSize(1).ofMaxSize(40);
    }
}
