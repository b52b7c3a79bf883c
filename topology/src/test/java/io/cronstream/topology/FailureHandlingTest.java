package io.cronstream.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cronstream.schemas.Alert;
import io.cronstream.schemas.AlertKind;
import io.cronstream.schemas.Command;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.ProgressKind;
import io.cronstream.schemas.RunControl;
import io.cronstream.schemas.RunHistoryItem;
import io.cronstream.schemas.RunSnapshot;
import io.cronstream.schemas.RunStatus;
import io.cronstream.schemas.StageProgressEvent;
import io.cronstream.schemas.TextBudget;
import io.cronstream.schemas.Trigger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Failure handling in the progress topology (DESIGN §12): run timeouts (FAILED as TIMED_OUT, a CANCEL, alerts),
 * missed starts (MISSED), stalls that fail (STALLED), alerts on cronstream.alerts at most once per kind per run,
 * results and errors on runs and in history, and RUN_FINISHED for the runs the ticker follows.
 */
class FailureHandlingTest {

    private static final Duration SCAN = Duration.ofSeconds(10);

    private final ProgressDriver driver = new ProgressDriver();
    private final Instant t0 = ProgressDriver.T0;

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void aRunStillHeartbeatingPastItsTimeoutFailsAsTimedOutOnceWithACancelAndAlerts() {
        DueEvent due = Events.due("nightly", t0, b -> b.runTimeout(Duration.ofMinutes(2)));
        driver.due(due);
        driver.progress(Events.runStarted(due.runId(), t0));
        heartbeatFor(due.runId(), Duration.ofMinutes(2));
        assertThat(driver.run(due.runId()).status()).isEqualTo(RunStatus.RUNNING);
        assertThat(driver.controls()).isEmpty();

        heartbeatFor(due.runId(), Duration.ofSeconds(20));
        RunSnapshot run = driver.run(due.runId());
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.failureReason()).isEqualTo("TIMED_OUT");
        assertThat(run.message()).contains("runTimeout PT2M");
        assertThat(driver.controls()).singleElement().satisfies(control -> {
            assertThat(control.key()).isEqualTo(due.runId());
            assertThat(control.value().type()).isEqualTo(RunControl.Type.CANCEL);
            assertThat(control.value().jobId()).isEqualTo("nightly");
            assertThat(control.value().reason()).contains("timed out");
        });
        assertThat(driver.notices()).extracting(TestRecord::key, r -> r.value().kind(), r -> r.value().runId())
                .containsExactly(tuple("nightly", AlertKind.TIMED_OUT, due.runId()),
                        tuple("nightly", AlertKind.FAILED, due.runId()));

        // the worker goes on heartbeating for a while, then honours the CANCEL and reports its failure
        heartbeatFor(due.runId(), Duration.ofMinutes(10));
        driver.statuses();
        driver.progress(Events.failed(due.runId(), "cancelled", "stopped on CANCEL", driver.now()));
        assertThat(driver.statuses()).as("run-status and the job's history hear the worker's error").singleElement()
                .satisfies(status -> assertThat(status.error()).isEqualTo("stopped on CANCEL"));
        assertThat(driver.history("nightly").items()).filteredOn(item -> item.runId().equals(due.runId()))
                .singleElement().satisfies(item -> {
                    assertThat(item.failureReason()).isEqualTo("TIMED_OUT");
                    assertThat(item.error()).isEqualTo("stopped on CANCEL");
                });
        assertThat(driver.controls()).as("one CANCEL per run").isEmpty();
        assertThat(driver.notices()).as("one alert per kind per run").isEmpty();
        assertThat(driver.run(due.runId()).failureReason()).isEqualTo("TIMED_OUT");
        assertThat(driver.run(due.runId()).error()).as("the worker's own word, kept once it comes")
                .isEqualTo("stopped on CANCEL");
    }

    @Test
    void aRunNobodyStartedTimesOutFromItsDueEvent() {
        DueEvent due = Events.due("nightly", t0, b -> b.runTimeout(Duration.ofMinutes(1)));
        driver.due(due);
        advanceInScans(Duration.ofSeconds(70));
        assertThat(driver.run(due.runId()).failureReason()).isEqualTo("TIMED_OUT");
        assertThat(driver.run(due.runId()).message()).contains("after its due event");
        assertThat(driver.controls()).hasSize(1);
    }

    @Test
    void aRunThatFinishesBeforeItsTimeoutIsNotFailed() {
        DueEvent due = Events.due("nightly", t0, b -> b.runTimeout(Duration.ofMinutes(2)));
        driver.due(due);
        driver.progress(Events.runStarted(due.runId(), t0));
        heartbeatFor(due.runId(), Duration.ofMinutes(1));
        driver.progress(Events.run(due.runId(), ProgressKind.RUN_COMPLETED, null, driver.now()));
        advanceInScans(Duration.ofMinutes(10));

        RunSnapshot run = driver.run(due.runId());
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.failureReason()).isNull();
        assertThat(driver.controls()).isEmpty();
        assertThat(driver.notices()).isEmpty();
        assertThat(driver.activityIndexSize()).isZero();
    }

    @Test
    void noWorkerEventWithinTheStartDeadlineRaisesMissedOnce() {
        DueEvent due = Events.due("nightly", t0, b -> b.startDeadline(Duration.ofMinutes(1)));
        driver.due(due);
        driver.statuses();
        advanceInScans(Duration.ofSeconds(50));
        assertThat(driver.notices()).isEmpty();

        advanceInScans(Duration.ofSeconds(20));
        assertThat(driver.notices()).singleElement().satisfies(notice -> {
            assertThat(notice.key()).isEqualTo("nightly");
            assertThat(notice.value().kind()).isEqualTo(AlertKind.MISSED);
            assertThat(notice.value().attempt()).isEqualTo(1);
            assertThat(notice.value().message()).contains("startDeadline PT1M");
        });
        RunSnapshot run = driver.run(due.runId());
        assertThat(run.status()).isEqualTo(RunStatus.PENDING);
        assertThat(run.missedAt()).isNotNull();
        assertThat(driver.statuses()).as("the dashboard sees the missed start").singleElement()
                .satisfies(published -> assertThat(published.missedAt()).isEqualTo(run.missedAt()));

        // still nobody: the stall follows in its time, but MISSED is not raised again
        advanceInScans(Duration.ofMinutes(10));
        assertThat(driver.notices()).extracting(r -> r.value().kind()).containsExactly(AlertKind.STUCK);
        // a worker that turns up at last raises nothing missed again
        driver.progress(Events.runStarted(due.runId(), driver.now()));
        advanceInScans(Duration.ofMinutes(1));
        assertThat(driver.notices()).extracting(r -> r.value().kind()).containsExactly(AlertKind.RECOVERED);
    }

    @Test
    void aWorkerEventWithinTheStartDeadlineRaisesNoMissed() {
        DueEvent due = Events.due("nightly", t0, b -> b.startDeadline(Duration.ofMinutes(1)));
        driver.due(due);
        advanceInScans(Duration.ofSeconds(30));
        driver.progress(Events.runStarted(due.runId(), driver.now()));
        advanceInScans(Duration.ofMinutes(3));
        assertThat(driver.notices()).isEmpty();
        assertThat(driver.run(due.runId()).missedAt()).isNull();
    }

    @Test
    void aFailureDeliveredTwiceRaisesOneFailedAlert() {
        DueEvent due = Events.due("nightly", t0, Trigger.SCHEDULE, null);
        driver.due(due);
        StageProgressEvent failed = Events.failed(due.runId(), "exit 3", "disk full", t0);
        driver.progress(failed);
        driver.progress(failed);

        assertThat(driver.notices()).singleElement().satisfies(notice -> {
            assertThat(notice.key()).isEqualTo("nightly");
            assertThat(notice.value()).isEqualTo(new Alert(AlertKind.FAILED, "nightly", due.runId(), 1, t0,
                    "disk full"));
        });
        assertThat(driver.run(due.runId()).error()).isEqualTo("disk full");
        assertThat(driver.controls()).isEmpty();
    }

    @Test
    void aRunWhoseJobIsUnknownRaisesItsFailureOnceTheJobIs() {
        DueEvent due = Events.due("nightly", t0, Trigger.SCHEDULE, null);
        driver.progress(Events.failed(due.runId(), null, "boom", t0));
        assertThat(driver.notices()).as("an alert names a job").isEmpty();

        driver.due(due);
        assertThat(driver.notices()).extracting(r -> r.value().kind(), r -> r.value().message())
                .containsExactly(tuple(AlertKind.FAILED, "boom"));
        driver.due(due);
        assertThat(driver.notices()).isEmpty();
    }

    @Test
    void aStallThatFailsTheRunSaysStalled() {
        DueEvent due = Events.due("nightly", t0, Duration.ofMinutes(1), Duration.ofMinutes(3));
        driver.due(due);
        driver.progress(Events.runStarted(due.runId(), t0));
        advanceInScans(Duration.ofMinutes(4));

        RunSnapshot run = driver.run(due.runId());
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.failureReason()).isEqualTo("STALLED");
        assertThat(driver.notices()).extracting(r -> r.value().kind())
                .containsExactly(AlertKind.STUCK, AlertKind.FAILED);
        assertThat(driver.controls()).as("only a timeout cancels").isEmpty();
    }

    @Test
    void aSecondStallRaisesNoSecondStuckAlertButItsOwnStuckRecord() {
        DueEvent due = Events.due("nightly", t0, Trigger.SCHEDULE, null);
        driver.due(due);
        driver.progress(Events.runStarted(due.runId(), t0));
        for (int stall = 0; stall < 2; stall++) {
            advanceInScans(Duration.ofMinutes(6));
            driver.progress(Events.heartbeat(due.runId(), driver.now()));
        }
        assertThat(driver.alerts()).extracting(a -> a.kind()).containsExactly(AlertKind.STUCK, AlertKind.RECOVERED,
                AlertKind.STUCK, AlertKind.RECOVERED);
        assertThat(driver.notices()).extracting(r -> r.value().kind())
                .containsExactly(AlertKind.STUCK, AlertKind.RECOVERED);
    }

    @Test
    void resultAndErrorReachTheRunAndItsHistoryAndSayWhenTheyWereCut() {
        DueEvent small = Events.due("report", t0, Trigger.SCHEDULE, null);
        DueEvent big = Events.due("report", t0.plusSeconds(60), Trigger.SCHEDULE, null);
        DueEvent broken = Events.due("report", t0.plusSeconds(120), Trigger.SCHEDULE, null);
        ObjectNode rows = JsonNodeFactory.instance.objectNode().put("rows", 3);
        ObjectNode huge = JsonNodeFactory.instance.objectNode().put("blob", "x".repeat(20_000));
        String longError = "e".repeat(5_000);
        for (DueEvent due : List.of(small, big, broken)) {
            driver.due(due);
        }
        driver.progress(Events.completed(small.runId(), rows, t0));
        driver.progress(Events.completed(big.runId(), huge, t0));
        driver.progress(Events.failed(broken.runId(), null, longError, t0));

        assertThat(driver.run(small.runId()).result()).isEqualTo(rows);
        RunSnapshot bigRun = driver.run(big.runId());
        assertThat(bigRun.result().path("truncated").asBoolean()).isTrue();
        assertThat(bigRun.result().path("bytes").asInt()).isGreaterThan(20_000);
        String error = driver.run(broken.runId()).error();
        assertThat(error).endsWith(TextBudget.SUFFIX);
        assertThat(error.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(2 * 1024);
        assertThat(driver.notices()).singleElement().satisfies(n -> assertThat(n.value().message()).startsWith("eee"));

        List<RunHistoryItem> items = driver.history("report").items();
        RunHistoryItem smallItem = item(items, small.runId());
        assertThat(smallItem.result()).isEqualTo(rows);
        assertThat(smallItem.attempt()).isEqualTo(1);
        assertThat(item(items, big.runId()).result().path("truncated").asBoolean()).isTrue();
        assertThat(item(items, broken.runId()).error()).isEqualTo(error);
    }

    @Test
    void runFinishedCarriesAttemptAndFailureReasonForTheRunsTheTickerFollows() {
        String first = DueEvent.runIdFor("retrying", t0);
        DueEvent retry = Events.due("retrying", t0, b -> b.runId(DueEvent.retryRunIdFor(first, 2)).attempt(2)
                .trigger(Trigger.RETRY).retryOf(first).followUp(true));
        DueEvent timesOut = Events.due("chained", t0, b -> b.followUp(true).runTimeout(Duration.ofMinutes(1)));
        DueEvent skip = Events.due("skipping", t0, "SKIP");
        DueEvent plain = Events.due("plain", t0, b -> b.runTimeout(Duration.ofMinutes(1)));
        for (DueEvent due : List.of(retry, timesOut, skip, plain)) {
            driver.due(due);
        }
        driver.progress(Events.failed(retry.runId(), null, "again", t0));
        driver.progress(Events.run(skip.runId(), ProgressKind.RUN_COMPLETED, null, t0));
        advanceInScans(Duration.ofSeconds(70));

        assertThat(driver.run(retry.runId()).retryOf()).isEqualTo(first);
        assertThat(driver.run(plain.runId()).failureReason()).isEqualTo("TIMED_OUT");
        assertThat(driver.commands())
                .extracting(Command::jobId, Command::runId, Command::status, Command::attempt, Command::failureReason)
                .containsExactlyInAnyOrder(
                        tuple("retrying", retry.runId(), "FAILED", 2, null),
                        tuple("skipping", skip.runId(), "COMPLETED", 1, null),
                        tuple("chained", timesOut.runId(), "FAILED", 1, "TIMED_OUT"));
    }

    @Test
    void aDueEventThatArrivesAfterTheRunEndedStillTellsTheTicker() {
        DueEvent due = Events.due("chained", t0, b -> b.followUp(true));
        driver.progress(Events.withJob(Events.run(due.runId(), ProgressKind.RUN_COMPLETED, null, t0), "chained"));
        assertThat(driver.commands()).isEmpty();
        driver.due(due);
        assertThat(driver.commands()).extracting(Command::runId).containsExactly(due.runId());
    }

    private static RunHistoryItem item(List<RunHistoryItem> items, String runId) {
        return items.stream().filter(item -> item.runId().equals(runId)).findFirst().orElseThrow();
    }

    /** A worker that sends a heartbeat at every scan for {@code total}. */
    private void heartbeatFor(String runId, Duration total) {
        for (Duration left = total; !left.isZero(); ) {
            Duration step = left.compareTo(SCAN) < 0 ? left : SCAN;
            driver.advance(step);
            driver.progress(Events.heartbeat(runId, driver.now()));
            left = left.minus(step);
        }
    }

    private void advanceInScans(Duration total) {
        for (Duration left = total; !left.isZero(); ) {
            Duration step = left.compareTo(SCAN) < 0 ? left : SCAN;
            driver.advance(step);
            left = left.minus(step);
        }
    }
}
