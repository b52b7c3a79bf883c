package io.cronstream.ticker;

import static io.cronstream.ticker.FailureDriver.alerts;
import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.schemas.DeadLetter;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 23: a user's key never names a run the ticker derives; the runs the ticker made are remembered for the run
 * retention, not a window of 32; only those runs' ends count; SKIP holds however many fire times come due at once.
 * Commands are written as a foreign producer writes them (JSON text), so refused ones reach the ticker too.
 */
class MadeRunsTest {

    private static final Instant START = Instant.parse("2026-01-05T10:00:30Z");
    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final String RETRIES = "\"retry\": {\"maxAttempts\": 3, \"initialInterval\": \"PT10S\", \"jitter\": 0}";

    private TickerHarness ticker = new TickerHarness(START);

    @AfterEach
    void close() {
        ticker.close();
    }

    private void trigger(String key, String jobId, String requestId) {
        ticker.command(key, TickerHarness.utf8("{\"type\": \"TRIGGER\", \"jobId\": \"" + jobId + "\", \"requestedAt\": \""
                + ticker.now() + "\"" + (requestId == null ? "" : ", \"requestId\": \"" + requestId + "\"") + "}"));
    }

    private void trigger(String jobId, String requestId) {
        trigger(jobId, jobId, requestId);
    }

    private void finished(String jobId, String runId, String status) {
        ticker.command(jobId, TickerHarness.utf8("{\"type\": \"RUN_FINISHED\", \"jobId\": \"" + jobId + "\", \"runId\": \""
                + runId + "\", \"status\": \"" + status + "\", \"requestedAt\": \"" + ticker.now() + "\"}"));
    }

    private List<String> reasons() {
        return ticker.deadLetters().stream().map(r -> TickerHarness.header(r, DeadLetter.ERROR)).toList();
    }

    @Test
    void aKeyEndingLikeARetryIsRefusedSoTheRunItWouldNameIsStillRetried() {
        ticker.putJob("j", "{\"scheduleType\": \"Manual\", " + RETRIES + "}");
        trigger("j", "k-attempt-2");
        assertThat(ticker.due()).as("refused, not a run").isEmpty();
        assertThat(reasons()).singleElement().asString().contains("-attempt-");

        trigger("j", "k");
        assertThat(ticker.due()).extracting(DueEvent::runId).containsExactly("j@manual-k");
        finished("j", "j@manual-k", "FAILED");
        ticker.runUntil(ticker.now().plusSeconds(11), SECOND);
        assertThat(ticker.due()).extracting(DueEvent::runId, DueEvent::trigger)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("j@manual-k-attempt-2", Trigger.RETRY));
    }

    @Test
    void aKeyEndingLikeAScheduledRetryIsRefusedNotSilentlyDropped() {
        ticker.putJob("j", "{\"scheduleType\": \"Manual\", " + RETRIES + "}");
        trigger("j", "k");
        ticker.due();
        finished("j", "j@manual-k", "FAILED"); // its retry j@manual-k-attempt-2 waits for its backoff
        trigger("j", "k-attempt-2");
        assertThat(reasons()).as("the client learns why, instead of a 202 for a run that is not its own")
                .singleElement().asString().contains("-attempt-");
    }

    @Test
    void aKeyOfDigitsOnlyCannotNameAKeylessTriggersRun() {
        ticker.putJob("j", "{\"scheduleType\": \"Manual\"}");
        trigger("j", null);
        assertThat(ticker.due()).extracting(DueEvent::runId).containsExactly("j@manual-" + ticker.now().toEpochMilli());
        trigger("j", String.valueOf(ticker.now().toEpochMilli()));
        assertThat(ticker.due()).isEmpty();
        assertThat(reasons()).singleElement().asString().contains("only digits");
    }

    @Test
    void aKeyReusedAfterManyOtherManualRunsFiresOnce() {
        ticker.putJob("j", "{\"scheduleType\": \"Manual\"}");
        trigger("j", "first");
        for (int i = 0; i < 40; i++) {
            ticker.jump(MINUTE);
            trigger("j", "other-" + i);
        }
        ticker.jump(Duration.ofHours(1));
        trigger("j", "first");
        List<String> runs = ticker.due().stream().map(DueEvent::runId).toList();
        assertThat(runs).hasSize(41).doesNotHaveDuplicates();
    }

    @Test
    void anOverlapSkipJobFiresAgainAfterAKeyIsReused() {
        ticker.putJob("s", "{\"cron\": \"0 * * * *\", \"overlapPolicy\": \"SKIP\"}");
        trigger("s", "deploy");
        finished("s", "s@manual-deploy", "COMPLETED");
        for (int i = 0; i < 32; i++) {
            trigger("s", "other-" + i);
            finished("s", "s@manual-other-" + i, "COMPLETED");
        }
        trigger("s", "deploy"); // the same request again: no new run, so nothing for the job to wait for
        assertThat(ticker.job("s").activeRunId()).isNull();
        ticker.due();

        ticker.runUntil(Instant.parse("2026-01-05T11:00:30Z"), MINUTE);
        assertThat(ticker.dueTimes()).containsExactly(Instant.parse("2026-01-05T11:00:00Z"));
    }

    @Test
    void aSkipJobBackFromAStallWithFireAllStartsOneRun() {
        ticker.putJob("s", "{\"cron\": \"* * * * *\", \"overlapPolicy\": \"SKIP\", \"misfirePolicy\": \"FIRE_ALL\", "
                + "\"catchupWindow\": \"PT1H\"}");
        ticker.runUntil(Instant.parse("2026-01-05T10:01:30Z"), SECOND);
        String first = ticker.due().get(0).runId();
        finished("s", first, "COMPLETED");

        ticker.jump(Duration.ofMinutes(10)); // a stall: 10:02 to 10:11 come due in one punctuation
        List<DueEvent> due = ticker.due();
        assertThat(due).hasSize(1);
        assertThat(due.get(0).scheduledFor()).isEqualTo(Instant.parse("2026-01-05T10:02:00Z"));
        assertThat(ticker.job("s").activeRunId()).isEqualTo(due.get(0).runId());
        assertThat(ticker.metric("overlap-skipped-total")).isEqualTo(9);

        ticker.runUntil(Instant.parse("2026-01-05T10:15:30Z"), SECOND);
        assertThat(ticker.due()).as("still running: every later time is skipped").isEmpty();
    }

    @Test
    void aSkipJobWithSeveralOnTimeFiresInOnePunctuationStartsOneRun() {
        ticker.putJob("s", "{\"cron\": \"* * * * * *\", \"overlapPolicy\": \"SKIP\"}");
        ticker.jump(Duration.ofSeconds(5)); // five seconds, each on time (misfire threshold PT1M)
        assertThat(ticker.due()).hasSize(1);
        assertThat(ticker.metric("overlap-skipped-total")).isEqualTo(4);
    }

    @Test
    void aRunFinishedForARunTheTickerNeverMadeCountsNothing() {
        ticker.putJob("p", "{\"scheduleType\": \"Manual\", " + RETRIES + ", \"pauseOnFailure\": 1}");
        finished("p", "p@manual-nobody-made-this", "FAILED");
        finished("p", "p@1767607200000", "FAILED");
        finished("p", "q@manual-another-jobs-run", "FAILED");
        ticker.runUntil(ticker.now().plus(Duration.ofMinutes(5)), SECOND);

        assertThat(ticker.due()).as("no retry").isEmpty();
        assertThat(alerts(ticker)).as("no RETRY_EXHAUSTED, no PAUSED").isEmpty();
        assertThat(ticker.job("p").autoPaused()).isFalse();
        assertThat(ticker.job("p").failures().consecutive()).isZero();
    }

    @Test
    void madeRunsAreRememberedForTheRunRetentionAndAnAwaitedRunUntilItsEnd() {
        ticker.close();
        ticker = new TickerHarness(START, TickerConfig.defaults(TickerHarness.TOPICS).withRunRetention(Duration.ofHours(1)),
                TickerHarness.tempDir());
        ticker.putJob("j", "{\"scheduleType\": \"Manual\"}");
        ticker.putJob("s", "{\"scheduleType\": \"Manual\", \"overlapPolicy\": \"SKIP\"}");
        trigger("j", "a");
        trigger("s", "b");
        assertThat(ticker.due()).extracting(DueEvent::runId).containsExactly("j@manual-a", "s@manual-b");
        ticker.runUntil(START.plus(Duration.ofMinutes(59)), MINUTE);
        trigger("j", "a");
        assertThat(ticker.due()).as("within the retention: the same request").isEmpty();

        ticker.runUntil(START.plus(Duration.ofHours(3)), MINUTE);
        assertThat(madeRuns()).as("j's run is forgotten; s's run, whose end is awaited, is kept")
                .containsExactly("s\u0000s@manual-b");
        assertThat(ticker.job("s").activeRunId()).isEqualTo("s@manual-b");
        finished("s", "s@manual-b", "COMPLETED");
        assertThat(ticker.job("s").activeRunId()).as("a long run's end still counts").isNull();
        ticker.runUntil(ticker.now().plus(Duration.ofMinutes(61)), MINUTE);
        assertThat(madeRuns()).as("gone the retention after its end").isEmpty();
        assertThat(ticker.driver.getKeyValueStore(TickerTopology.RUNS_EXPIRY_STORE).approximateNumEntries()).isZero();

        trigger("j", "a");
        assertThat(ticker.due()).as("after the retention a key names a new run (README: remembered for the retention)")
                .extracting(DueEvent::runId).containsExactly("j@manual-a");
    }

    /** A crash after the runs were made: the stores rebuilt from their changelogs still know them and their ends. */
    @Test
    void madeRunsAndTheirEndsSurviveARestart() {
        ticker.putJob("p", "{\"scheduleType\": \"Manual\", " + RETRIES + "}");
        trigger("p", "k");
        finished("p", "p@manual-k", "FAILED");
        ticker = ticker.restart(TickerConfig.defaults(TickerHarness.TOPICS));
        trigger("p", "k"); // a retried request
        finished("p", "p@manual-k", "FAILED"); // the status redelivered
        ticker.runUntil(ticker.now().plus(Duration.ofMinutes(5)), SECOND);
        assertThat(ticker.due()).extracting(DueEvent::runId).containsExactly("p@manual-k-attempt-2");

        ticker = ticker.restart(TickerConfig.defaults(TickerHarness.TOPICS));
        finished("p", "p@manual-k-attempt-2", "FAILED");
        finished("p", "p@manual-k-attempt-2", "FAILED");
        ticker.runUntil(ticker.now().plus(Duration.ofMinutes(5)), SECOND);
        assertThat(ticker.due()).extracting(DueEvent::runId).containsExactly("p@manual-k-attempt-3");
    }

    private List<String> madeRuns() {
        List<String> keys = new java.util.ArrayList<>();
        org.apache.kafka.streams.state.KeyValueStore<String, Object> store =
                ticker.driver.getKeyValueStore(TickerTopology.RUNS_STORE);
        try (var all = store.all()) {
            all.forEachRemaining(entry -> keys.add(entry.key));
        }
        return keys;
    }

    @Test
    void aTriggerKeyedWithAnySpellingOfItsJobIdReachesIt() {
        ticker.putJob("J", "{\"scheduleType\": \"Manual\"}");
        trigger("\"J\"", "J", "as-json-string");
        trigger("{\"_id\": \"J\"}", "J", "as-id-object");
        trigger(" J ".trim(), "J", "bare");
        assertThat(ticker.due()).extracting(DueEvent::runId)
                .containsExactly("J@manual-as-json-string", "J@manual-as-id-object", "J@manual-bare");
        assertThat(ticker.deadLetters()).isEmpty();
    }
}
