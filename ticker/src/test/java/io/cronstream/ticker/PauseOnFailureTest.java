package io.cronstream.ticker;

import static io.cronstream.ticker.FailureDriver.alerts;
import static io.cronstream.ticker.FailureDriver.completed;
import static io.cronstream.ticker.FailureDriver.failed;
import static io.cronstream.ticker.FailureDriver.manual;
import static io.cronstream.ticker.FailureDriver.policy;
import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.schemas.Alert;
import io.cronstream.schemas.AlertKind;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.Trigger;
import io.cronstream.ticker.job.JobDefinition;
import io.cronstream.ticker.job.RetryPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue 16: {@code pauseOnFailure: n} pauses a job after n consecutive failed runs, until an API write resumes it. */
class PauseOnFailureTest {

    private static final Instant START = Instant.parse("2026-01-05T10:00:30Z");
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final String CRON = "{\"cron\": \"*/10 * * * *\"}";

    private final TickerHarness ticker = new TickerHarness(START);

    @AfterEach
    void close() {
        ticker.close();
    }

    private static Instant at(String text) {
        return Instant.parse(text);
    }

    /** Runs the job to {@code until} and fails each of its runs; returns their ids. */
    private List<String> failRunsUntil(String until) {
        ticker.runUntil(at(until), MINUTE);
        List<String> runs = ticker.due().stream().map(DueEvent::runId).toList();
        runs.forEach(runId -> failed(ticker, "p", runId, 1));
        return runs;
    }

    @Test
    void twoFinalFailuresPauseTheJobUntilANewVersionResumesIt() {
        ticker.putJob("p", CRON);
        policy(ticker, "p", b -> b.pauseOnFailure(2));
        List<String> failedRuns = new java.util.ArrayList<>(failRunsUntil("2026-01-05T10:10:30Z"));
        assertThat(ticker.job("p").autoPaused()).isFalse();
        failedRuns.addAll(failRunsUntil("2026-01-05T10:20:30Z"));
        assertThat(failedRuns).hasSize(2);

        JobState paused = ticker.job("p");
        assertThat(paused.autoPaused()).isTrue();
        assertThat(paused.nextFireAt()).isNull();
        JobDefinition.Pause pause = paused.effectivePause();
        assertThat(pause.by()).isEqualTo("cronstream");
        assertThat(pause.until()).isNull();
        assertThat(pause.note()).isEqualTo("paused after 2 consecutive failed runs: " + String.join(", ", failedRuns));
        List<Alert> alerts = alerts(ticker);
        assertThat(alerts).extracting(Alert::kind).containsExactly(AlertKind.PAUSED);
        assertThat(alerts.get(0).message()).isEqualTo(pause.note());

        ticker.runUntil(at("2026-01-05T12:00:30Z"), MINUTE);
        assertThat(ticker.due()).as("no fire while paused").isEmpty();
        org.apache.kafka.streams.state.KeyValueStore<Object, Object> index =
                ticker.driver.getKeyValueStore(TickerTopology.SCHEDULE_STORE);
        try (var all = index.all()) {
            assertThat(all.hasNext()).as("off the schedule index").isFalse();
        }

        ticker.putJob("p", "{\"cron\": \"*/10 * * * *\", \"description\": \"edited without a version\"}");
        ticker.runUntil(at("2026-01-05T12:30:30Z"), MINUTE);
        assertThat(ticker.due()).as("a document without a newer version does not resume it").isEmpty();
        assertThat(ticker.job("p").autoPaused()).isTrue();

        ticker.putJob("p", "{\"cron\": \"*/10 * * * *\", \"version\": 2}");
        JobState resumed = ticker.job("p");
        assertThat(resumed.autoPaused()).isFalse();
        assertThat(resumed.effectivePause()).isNull();
        assertThat(resumed.failures().consecutive()).isZero();
        assertThat(resumed.nextFireAt()).as("from now on, like a re-enable").isEqualTo(at("2026-01-05T12:40:00Z"));
        ticker.runUntil(at("2026-01-05T12:50:30Z"), MINUTE);
        assertThat(ticker.dueTimes()).containsExactly(at("2026-01-05T12:40:00Z"), at("2026-01-05T12:50:00Z"));
    }

    @Test
    void aResumingVersionThatCarriesAPauseIsPausedByIt() {
        ticker.putJob("p", CRON);
        policy(ticker, "p", b -> b.pauseOnFailure(1).version(4L));
        failRunsUntil("2026-01-05T10:10:30Z");
        assertThat(ticker.job("p").autoPaused()).isTrue();

        ticker.putJob("p", "{\"cron\": \"*/10 * * * *\", \"version\": 4}");
        assertThat(ticker.job("p").autoPaused()).as("same version: still the ticker's pause").isTrue();
        ticker.putJob("p", "{\"cron\": \"*/10 * * * *\", \"version\": 5, \"pausedBy\": \"alice\", "
                + "\"pauseNote\": \"looking into it\"}");
        JobState state = ticker.job("p");
        assertThat(state.autoPaused()).isFalse();
        assertThat(state.effectivePause().by()).isEqualTo("alice");
        assertThat(state.nextFireAt()).isNull();
    }

    @Test
    void aCompletedRunResetsTheCount() {
        ticker.putJob("p", CRON);
        policy(ticker, "p", b -> b.pauseOnFailure(2));
        failRunsUntil("2026-01-05T10:10:30Z");
        completed(ticker, "p", manual(ticker, "p", "x"), 1);
        failRunsUntil("2026-01-05T10:20:30Z");
        assertThat(ticker.job("p").autoPaused()).isFalse();
        assertThat(ticker.job("p").failures().consecutive()).isEqualTo(1);
        assertThat(alerts(ticker)).isEmpty();
    }

    @Test
    void theSameFailureDeliveredTwiceCountsOnce() {
        ticker.putJob("p", CRON);
        policy(ticker, "p", b -> b.pauseOnFailure(2));
        List<String> runs = failRunsUntil("2026-01-05T10:10:30Z");
        failed(ticker, "p", runs.get(0), 1);
        assertThat(ticker.job("p").autoPaused()).isFalse();
        assertThat(ticker.job("p").failures().consecutive()).isEqualTo(1);
    }

    @Test
    void aRunWithRetriesCountsOnceWhenItFailsForGood() {
        ticker.putJob("p", "{\"scheduleType\": \"Manual\"}");
        policy(ticker, "p", b -> b.pauseOnFailure(2)
                .retry(new RetryPolicy(3, Duration.ofSeconds(10), 2.0, Duration.ofMinutes(10), 0.0)));
        failed(ticker, "p", manual(ticker, "p", "a"), 1);
        ticker.jump(Duration.ofSeconds(10));
        failed(ticker, "p", "p@manual-a-attempt-2", 2);
        ticker.jump(Duration.ofSeconds(20));
        assertThat(ticker.due()).extracting(DueEvent::trigger).containsExactly(Trigger.RETRY, Trigger.RETRY);
        assertThat(ticker.job("p").failures().consecutive()).as("retries follow: not final yet").isZero();

        failed(ticker, "p", "p@manual-a-attempt-3", 3);
        assertThat(ticker.job("p").failures().consecutive()).isEqualTo(1);
        assertThat(ticker.job("p").autoPaused()).isFalse();
        assertThat(alerts(ticker)).extracting(Alert::kind).containsExactly(AlertKind.RETRY_EXHAUSTED);
    }

    @Test
    void aRetryPendingWhenTheJobPausesIsDropped() {
        ticker.putJob("p", "{\"scheduleType\": \"Manual\"}");
        policy(ticker, "p", b -> b.pauseOnFailure(1)
                .retry(new RetryPolicy(2, Duration.ofSeconds(10), 2.0, Duration.ofMinutes(10), 0.0)));
        failed(ticker, "p", manual(ticker, "p", "b"), 1);
        ticker.jump(Duration.ofSeconds(10));
        assertThat(ticker.due()).extracting(DueEvent::runId).containsExactly("p@manual-b-attempt-2");
        failed(ticker, "p", manual(ticker, "p", "a"), 1); // a retry follows
        failed(ticker, "p", "p@manual-b-attempt-2", 2); // another run fails for good: the job pauses
        assertThat(ticker.job("p").autoPaused()).isTrue();
        ticker.jump(Duration.ofMinutes(5));
        assertThat(ticker.due()).isEmpty();
    }
}
