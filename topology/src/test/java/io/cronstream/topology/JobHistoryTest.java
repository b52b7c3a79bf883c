package io.cronstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.HistoryStats;
import io.cronstream.schemas.JobHistory;
import io.cronstream.schemas.ProgressKind;
import io.cronstream.schemas.RunHistoryItem;
import io.cronstream.schemas.RunStatus;
import io.cronstream.schemas.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JobHistoryTest {

    private final ProgressDriver driver = new ProgressDriver();

    @AfterEach
    void close() {
        driver.close();
    }

    /** Seed 002's cap: the last 100 runs per job, with stats over them. */
    @Test
    void keepsTheLastHundredRunsWithStats() {
        int runs = 105;
        for (int i = 0; i < runs; i++) {
            runOnce(i);
            driver.advance(Duration.ofMinutes(1));
        }

        JobHistory history = driver.history("nightly");
        assertThat(history.count()).isEqualTo(100);
        assertThat(history.items()).extracting(RunHistoryItem::runId)
                .containsExactlyElementsOf(IntStream.iterate(runs - 1, i -> i >= 5, i -> i - 1)
                        .mapToObj(i -> DueEvent.runIdFor("nightly", scheduledFor(i))).toList());

        List<Integer> kept = IntStream.range(5, runs).boxed().toList();
        int failed = (int) kept.stream().filter(JobHistoryTest::fails).count();
        long avgDurationMs = Math.round(kept.stream().mapToLong(JobHistoryTest::durationMs).average().orElseThrow());
        int lastFailure = kept.stream().filter(JobHistoryTest::fails).max(Integer::compare).orElseThrow();
        assertThat(history.stats()).isEqualTo(new HistoryStats(100, 100 - failed, failed,
                (100 - failed) / 100.0, avgDurationMs,
                started(104).plusMillis(durationMs(104)), started(lastFailure).plusMillis(durationMs(lastFailure))));

        RunHistoryItem newest = history.items().get(0);
        assertThat(newest.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(newest.trigger()).isEqualTo(Trigger.MANUAL);
        assertThat(newest.triggeredBy()).isEqualTo("alice");
        assertThat(newest.startedAt()).isEqualTo(started(104));
        assertThat(newest.durationMs()).isEqualTo(durationMs(104));
        assertThat(newest.itemsProcessed()).isEqualTo(3);
        assertThat(newest.itemsSucceeded()).isEqualTo(2);
        assertThat(newest.itemsFailed()).isEqualTo(1);
        RunHistoryItem failure = history.items().get(104 - lastFailure);
        assertThat(failure.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failure.message()).isEqualTo("disk full");
    }

    @Test
    void aRunIsOneItemThatFollowsItsStatus() {
        DueEvent due = Events.due("nightly", scheduledFor(0), Trigger.SCHEDULE, null);
        driver.due(due);
        assertThat(driver.history("nightly").items()).singleElement()
                .satisfies(item -> assertThat(item.status()).isEqualTo(RunStatus.PENDING));
        driver.progress(Events.runStarted(due.runId(), started(0)));
        driver.progress(Events.run(due.runId(), ProgressKind.RUN_COMPLETED, null, started(0).plusSeconds(3)));

        JobHistory history = driver.history("nightly");
        assertThat(history.items()).singleElement().satisfies(item -> {
            assertThat(item.status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(item.durationMs()).isEqualTo(3000);
        });
        assertThat(history.stats()).isEqualTo(new HistoryStats(1, 1, 0, 1.0, 3000L, started(0).plusSeconds(3), null));
    }

    @Test
    void runsWithoutAJobHaveNoHistory() {
        driver.progress(Events.runStarted("worker-run", driver.now()));
        assertThat(driver.history("worker-run")).isNull();
    }

    private void runOnce(int i) {
        DueEvent due = i == 104
                ? Events.due("nightly", scheduledFor(i), Trigger.MANUAL, "alice")
                : Events.due("nightly", scheduledFor(i), Trigger.SCHEDULE, null);
        String runId = due.runId();
        Instant start = started(i);
        Instant end = start.plusMillis(durationMs(i));
        driver.due(due);
        driver.progress(Events.runStarted(runId, start));
        if (fails(i)) {
            driver.progress(Events.run(runId, ProgressKind.RUN_FAILED, "disk full", end));
        } else {
            driver.progress(List.of(Events.stageStarted(runId, "scan", 3, start),
                    Events.absolute(runId, "scan", 2L, 1L, end)));
        }
    }

    private static boolean fails(int i) {
        return i % 4 == 3;
    }

    private static Instant scheduledFor(int i) {
        return ProgressDriver.T0.plus(Duration.ofHours(i));
    }

    private static Instant started(int i) {
        return scheduledFor(i).plusSeconds(1);
    }

    private static long durationMs(int i) {
        return (i % 5 + 1) * 1000L + i;
    }
}
