package io.cronstream.ticker;

import static io.cronstream.ticker.FailureDriver.alerts;
import static io.cronstream.ticker.FailureDriver.completed;
import static io.cronstream.ticker.FailureDriver.failed;
import static io.cronstream.ticker.FailureDriver.manual;
import static io.cronstream.ticker.FailureDriver.policy;
import static io.cronstream.ticker.FailureDriver.retries;
import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.schemas.Alert;
import io.cronstream.schemas.AlertKind;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.Trigger;
import io.cronstream.ticker.job.RetryPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue 16: a failed run is retried after its backoff, once, until its attempts are used up. */
class RetryTest {

    private static final Instant START = Instant.parse("2026-01-05T10:00:30Z");
    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final RetryPolicy THREE_TRIES = new RetryPolicy(3, Duration.ofSeconds(10), 2.0,
            Duration.ofMinutes(10), 0.0);

    private TickerHarness ticker = new TickerHarness(START);

    @AfterEach
    void close() {
        ticker.close();
    }

    private void manualJob(String jobId, RetryPolicy retry) {
        ticker.putJob(jobId, "{\"scheduleType\": \"Manual\"}");
        policy(ticker, jobId, b -> b.retry(retry));
    }

    @Test
    void aFailedRunIsRetriedAfterItsBackoffAndNotBefore() {
        manualJob("j", THREE_TRIES);
        Instant failedAt = ticker.now();
        failed(ticker, "j", manual(ticker, "j", "a"), 1);

        ticker.runUntil(failedAt.plusSeconds(9), SECOND);
        assertThat(ticker.due()).as("not before the backoff").isEmpty();
        ticker.runUntil(failedAt.plusSeconds(10), SECOND);

        List<DueEvent> due = ticker.due();
        assertThat(due).hasSize(1);
        DueEvent retry = due.get(0);
        assertThat(retry.trigger()).isEqualTo(Trigger.RETRY);
        assertThat(retry.attempt()).isEqualTo(2);
        assertThat(retry.retryOf()).isEqualTo("j@manual-a");
        assertThat(retry.runId()).isEqualTo("j@manual-a-attempt-2");
        assertThat(retry.triggeredBy()).isEqualTo("j@manual-a");
        assertThat(retry.scheduledFor()).isEqualTo(failedAt.plusSeconds(10));
        assertThat(retry.followUp()).as("its end must come back for the next retry").isTrue();
    }

    @Test
    void aRetryOfARetryNamesTheFirstRunAndTheFailedAttempt() {
        manualJob("j", THREE_TRIES);
        failed(ticker, "j", manual(ticker, "j", "a"), 1);
        ticker.jump(Duration.ofSeconds(10));
        assertThat(ticker.due()).extracting(DueEvent::runId).containsExactly("j@manual-a-attempt-2");

        failed(ticker, "j", "j@manual-a-attempt-2", 2);
        ticker.jump(Duration.ofSeconds(20));
        DueEvent third = ticker.due().get(0);
        assertThat(third.runId()).isEqualTo("j@manual-a-attempt-3");
        assertThat(third.retryOf()).isEqualTo("j@manual-a-attempt-2");
        assertThat(third.attempt()).isEqualTo(3);
    }

    @Test
    void whenNoAttemptRemainsRetryExhaustedIsRaisedAndNothingFires() {
        manualJob("j", new RetryPolicy(2, Duration.ofSeconds(10), 2.0, Duration.ofMinutes(10), 0.0));
        failed(ticker, "j", manual(ticker, "j", "a"), 1);
        ticker.jump(Duration.ofSeconds(10));
        assertThat(ticker.due()).hasSize(1);
        assertThat(alerts(ticker)).isEmpty();

        failed(ticker, "j", "j@manual-a-attempt-2", 2);
        failed(ticker, "j", "j@manual-a-attempt-2", 2); // delivered twice: one alert
        ticker.runUntil(ticker.now().plus(Duration.ofHours(1)), Duration.ofMinutes(1));

        assertThat(ticker.due()).isEmpty();
        List<Alert> alerts = alerts(ticker);
        assertThat(alerts).hasSize(1);
        Alert exhausted = alerts.get(0);
        assertThat(exhausted.kind()).isEqualTo(AlertKind.RETRY_EXHAUSTED);
        assertThat(exhausted.jobId()).isEqualTo("j");
        assertThat(exhausted.runId()).isEqualTo("j@manual-a-attempt-2");
        assertThat(exhausted.attempt()).isEqualTo(2);
        assertThat(exhausted.message()).isEqualTo("failed 2 attempts: reported by the worker");
    }

    @Test
    void aJobWithoutRetriesRaisesNoRetryExhausted() {
        ticker.putJob("j", "{\"scheduleType\": \"Manual\"}");
        failed(ticker, "j", manual(ticker, "j", "a"), 1);
        ticker.jump(Duration.ofHours(1));
        assertThat(ticker.due()).isEmpty();
        assertThat(alerts(ticker)).isEmpty();
    }

    @Test
    void aFailedStatusDeliveredTwiceMakesOneRetry() {
        manualJob("j", THREE_TRIES);
        failed(ticker, "j", manual(ticker, "j", "a"), 1);
        ticker.jump(Duration.ofSeconds(3));
        failed(ticker, "j", "j@manual-a", 1);
        ticker.jump(Duration.ofSeconds(30));
        failed(ticker, "j", "j@manual-a", 1); // after the retry fired, too
        ticker.runUntil(ticker.now().plus(Duration.ofHours(1)), Duration.ofMinutes(1));

        assertThat(ticker.due()).extracting(DueEvent::runId).containsExactly("j@manual-a-attempt-2");
    }

    @Test
    void aCompletedRunIsNotRetried() {
        manualJob("j", THREE_TRIES);
        completed(ticker, "j", manual(ticker, "j", "a"), 1);
        ticker.runUntil(ticker.now().plus(Duration.ofHours(1)), Duration.ofMinutes(1));
        assertThat(ticker.due()).isEmpty();
        assertThat(alerts(ticker)).isEmpty();
    }

    @Test
    void theBackoffGrowsByItsCoefficientAndStopsAtMaxInterval() {
        manualJob("j", new RetryPolicy(7, Duration.ofSeconds(10), 2.0, Duration.ofSeconds(60), 0.0));
        String runId = manual(ticker, "j", "a");
        long[] expected = {10, 20, 40, 60, 60, 60};
        for (int attempt = 1; attempt <= expected.length; attempt++) {
            Instant failedAt = ticker.now();
            failed(ticker, "j", runId, attempt);
            ticker.runUntil(failedAt.plusSeconds(expected[attempt - 1] - 1), SECOND);
            assertThat(ticker.due()).as("attempt %d: not before %ds", attempt + 1, expected[attempt - 1]).isEmpty();
            ticker.jump(SECOND);
            List<DueEvent> due = ticker.due();
            assertThat(due).extracting(DueEvent::attempt).containsExactly(attempt + 1);
            assertThat(due.get(0).scheduledFor()).isEqualTo(failedAt.plusSeconds(expected[attempt - 1]));
            runId = due.get(0).runId();
        }
    }

    @Test
    void jitterStaysWithinItsFractionAndIsTheSameForTheSameRun() {
        RetryPolicy policy = new RetryPolicy(5, Duration.ofSeconds(100), 2.0, Duration.ofMinutes(10), 0.1);
        boolean below = false;
        boolean above = false;
        for (int i = 0; i < 200; i++) {
            String runId = "j@manual-" + i;
            Duration delay = PendingRetries.backoff(policy, 1, runId);
            assertThat(delay).isBetween(Duration.ofSeconds(90), Duration.ofSeconds(110));
            assertThat(PendingRetries.backoff(policy, 1, runId)).isEqualTo(delay);
            below |= delay.compareTo(Duration.ofSeconds(100)) < 0;
            above |= delay.compareTo(Duration.ofSeconds(100)) > 0;
        }
        assertThat(below && above).as("spread both ways").isTrue();
    }

    @Test
    void aRetryOfAJobDisabledMeanwhileIsDropped() {
        manualJob("j", THREE_TRIES);
        failed(ticker, "j", manual(ticker, "j", "a"), 1);
        ticker.putJob("j", "{\"scheduleType\": \"Manual\", \"enabled\": false}");
        ticker.runUntil(ticker.now().plus(Duration.ofMinutes(5)), SECOND);
        assertThat(ticker.due()).isEmpty();
        assertThat(alerts(ticker)).isEmpty();
    }

    @Test
    void aRetryOfAJobDeletedMeanwhileIsDropped() {
        manualJob("j", THREE_TRIES);
        failed(ticker, "j", manual(ticker, "j", "a"), 1);
        ticker.deleteJob("j");
        ticker.runUntil(ticker.now().plus(Duration.ofMinutes(5)), SECOND);
        assertThat(ticker.due()).isEmpty();
        assertThat(ticker.deadLetters()).isEmpty();
    }

    @Test
    void aRetryOfAScheduledRunLeavesTheScheduleAlone() {
        ticker.putJob("c", "{\"cron\": \"*/10 * * * *\"}");
        policy(ticker, "c", b -> b.retry(THREE_TRIES));
        ticker.runUntil(Instant.parse("2026-01-05T10:10:05Z"), SECOND);
        String scheduled = ticker.due().get(0).runId();
        failed(ticker, "c", scheduled, 1);
        ticker.runUntil(Instant.parse("2026-01-05T10:20:05Z"), SECOND);
        assertThat(ticker.due()).extracting(DueEvent::trigger, DueEvent::runId).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Trigger.RETRY, scheduled + "-attempt-2"),
                org.assertj.core.groups.Tuple.tuple(Trigger.SCHEDULE, "c@" + Instant.parse("2026-01-05T10:20:00Z")
                        .toEpochMilli()));
    }

    @Test
    void retriesDueTogetherShareThePunctuationsFireBudgetAfterTheScheduledFires() {
        ticker.close();
        ticker = new TickerHarness(START, TickerConfig.defaults(TickerHarness.TOPICS).withMaxFiresPerPunctuation(3),
                TickerHarness.tempDir());
        manualJob("j", THREE_TRIES);
        ticker.putJob("c", "{\"cron\": \"* * * * *\"}");
        for (int run = 0; run < 5; run++) {
            failed(ticker, "j", manual(ticker, "j", "r" + run), 1);
        }
        ticker.jump(Duration.ofSeconds(30)); // 10:01:00 is due for c, and the five retries
        List<DueEvent> first = ticker.due();
        assertThat(first).extracting(DueEvent::trigger).containsExactly(Trigger.SCHEDULE, Trigger.RETRY, Trigger.RETRY);
        ticker.jump(SECOND);
        assertThat(retries(ticker.due())).hasSize(3);
        ticker.jump(SECOND);
        assertThat(ticker.due()).isEmpty();
    }

    /**
     * A crash between the failure and its retry: a new driver whose stores are rebuilt from the first one's
     * changelogs (as Kafka Streams restores a task) fires the retry once, after the backoff.
     */
    @Test
    void aRetryPendingAtACrashFiresOnceAfterTheRestart() {
        manualJob("j", THREE_TRIES);
        Instant failedAt = ticker.now();
        failed(ticker, "j", manual(ticker, "j", "a"), 1);
        ticker.jump(Duration.ofSeconds(4));
        assertThat(ticker.due()).isEmpty();

        ticker = ticker.restart(TickerConfig.defaults(TickerHarness.TOPICS));
        ticker.runUntil(failedAt.plusSeconds(9), SECOND);
        assertThat(ticker.due()).isEmpty();
        failed(ticker, "j", "j@manual-a", 1); // the status redelivered after the restart
        ticker.runUntil(failedAt.plus(Duration.ofHours(1)), Duration.ofSeconds(1));
        assertThat(retries(ticker.due())).extracting(DueEvent::runId, DueEvent::scheduledFor).containsExactly(
                org.assertj.core.groups.Tuple.tuple("j@manual-a-attempt-2", failedAt.plusSeconds(10)));
    }
}
