package io.cronstream.topology;

import static io.cronstream.topology.Events.absolute;
import static io.cronstream.topology.Events.increment;
import static io.cronstream.topology.Events.runStarted;
import static io.cronstream.topology.Events.stageStarted;
import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.schemas.ChangeType;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.FileChangeEvent;
import io.cronstream.schemas.ProgressKind;
import io.cronstream.schemas.RunSnapshot;
import io.cronstream.schemas.RunStatus;
import io.cronstream.schemas.StageProgressEvent;
import io.cronstream.schemas.StageSnapshot;
import io.cronstream.schemas.StageStatus;
import io.cronstream.schemas.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RunProgressTest {

    private static final Instant SCHEDULED = Instant.parse("2026-03-01T10:00:00Z");

    private final ProgressDriver driver = new ProgressDriver();

    @AfterEach
    void close() {
        driver.close();
    }

    /** Seed 003: a scan run whose thumbnail and cache consumers each increment their own stage. */
    @Test
    void scanRunWithThumbnailAndCacheStagesCompletesFromIncrements() {
        DueEvent due = Events.due("scan-job", SCHEDULED, Trigger.MANUAL, "alice");
        String runId = due.runId();
        Instant t = driver.now();
        driver.due(due);
        driver.progress(List.of(runStarted(runId, t), stageStarted(runId, "scan", 2, t),
                stageStarted(runId, "thumbnail", 3, t), stageStarted(runId, "cache", 3, t)));
        driver.progress(List.of(increment(runId, "scan", t.plusSeconds(1)), increment(runId, "scan", t.plusSeconds(2))));
        for (int i = 1; i <= 3; i++) {
            driver.progress(increment(runId, "thumbnail", t.plusSeconds(2 + i)));
        }
        driver.progress(List.of(increment(runId, "cache", t.plusSeconds(6)), increment(runId, "cache", t.plusSeconds(7))));

        RunSnapshot midway = driver.run(runId);
        assertThat(midway.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(midway.stages().get("scan").status()).isEqualTo(StageStatus.COMPLETED);
        assertThat(midway.stages().get("thumbnail").status()).isEqualTo(StageStatus.COMPLETED);
        assertThat(midway.stages().get("cache")).isEqualTo(
                new StageSnapshot(StageStatus.RUNNING, 3L, 2, 0, null, t, null));
        assertThat(midway.percent()).isEqualTo(87.5); // 7 of 8 items
        assertThat(midway.itemsPerSecond()).isEqualTo(1.0); // 7 items in 7 s of worker time
        assertThat(midway.etaSeconds()).isEqualTo(1);

        driver.progress(increment(runId, "cache", t.plusSeconds(8)));

        List<RunSnapshot> published = driver.statuses();
        assertThat(published).extracting(RunSnapshot::status)
                .containsExactly(RunStatus.PENDING, RunStatus.RUNNING, RunStatus.COMPLETED);
        assertThat(published).allSatisfy(run -> assertThat(run.jobId()).isEqualTo("scan-job"));
        RunSnapshot done = driver.run(runId);
        assertThat(done).isEqualTo(published.get(2));
        assertThat(done.trigger()).isEqualTo(Trigger.MANUAL);
        assertThat(done.triggeredBy()).isEqualTo("alice");
        assertThat(done.scheduledFor()).isEqualTo(SCHEDULED);
        assertThat(done.startedAt()).isEqualTo(t);
        assertThat(done.completedAt()).isEqualTo(t.plusSeconds(8));
        assertThat(done.percent()).isEqualTo(100.0);
        assertThat(done.etaSeconds()).isZero();
        assertThat(done.stuckAfter()).isEqualTo(Duration.ofMinutes(5));
        assertThat(done.stages().keySet()).containsExactly("scan", "thumbnail", "cache");
        assertThat(done.stages().values()).allSatisfy(stage -> assertThat(stage.status()).isEqualTo(StageStatus.COMPLETED));
        assertThat(driver.deadLetters()).isEmpty();
    }

    @Test
    void absoluteUpdatesReplayedGiveTheSameState() {
        Instant t = driver.now();
        List<io.cronstream.schemas.StageProgressEvent> events = List.of(
                runStarted("r1", t),
                stageStarted("r1", "scan", 100, t),
                absolute("r1", "scan", 10L, null, t.plusSeconds(1)),
                absolute("r1", "scan", 40L, 2L, t.plusSeconds(2)),
                absolute("r1", "scan", 60L, 5L, t.plusSeconds(3)));
        driver.progress(events);
        RunSnapshot once = driver.run("r1");
        driver.statuses();

        driver.advance(Duration.ofSeconds(30));
        driver.progress(events);
        driver.progress(events);

        RunSnapshot thrice = driver.run("r1");
        assertThat(thrice.stages()).isEqualTo(once.stages());
        assertThat(thrice.status()).isEqualTo(once.status());
        assertThat(thrice.percent()).isEqualTo(65.0);
        assertThat(thrice.itemsPerSecond()).isEqualTo(once.itemsPerSecond());
        assertThat(thrice.etaSeconds()).isEqualTo(once.etaSeconds());
        assertThat(driver.statuses()).as("no transition from a replay").isEmpty();
    }

    @Test
    void incrementsAndAbsoluteCountsMix() {
        Instant t = driver.now();
        driver.progress(List.of(stageStarted("r1", "cache", 20, t), increment("r1", "cache", t),
                increment("r1", "cache", 2, t), increment("r1", "cache", t)));
        assertThat(driver.run("r1").stages().get("cache").completed()).isEqualTo(4);

        driver.progress(absolute("r1", "cache", 10L, null, t));
        assertThat(driver.run("r1").stages().get("cache").completed()).as("absolute overrides").isEqualTo(10);

        driver.progress(List.of(increment("r1", "cache", 3, t), absolute("r1", "cache", null, 2L, t)));
        StageSnapshot cache = driver.run("r1").stages().get("cache");
        assertThat(cache.completed()).isEqualTo(13);
        assertThat(cache.failed()).isEqualTo(2);
        assertThat(cache.status()).isEqualTo(StageStatus.RUNNING);

        driver.progress(increment("r1", "cache", 5, t));
        assertThat(driver.run("r1").stages().get("cache").status()).isEqualTo(StageStatus.COMPLETED);
        assertThat(driver.run("r1").status()).isEqualTo(RunStatus.COMPLETED);
    }

    @Test
    void aRedeliveredEventWithTheSameEventIdCountsOnce() {
        Instant t = driver.now();
        driver.progress(stageStarted("r1", "thumbnail", 10, t));
        driver.progress(Events.withEventId(increment("r1", "thumbnail", t), "img-1"));
        driver.progress(Events.withEventId(increment("r1", "thumbnail", t), "img-1"));
        driver.progress(Events.withEventId(increment("r1", "thumbnail", t), "img-2"));
        driver.progress(increment("r1", "thumbnail", t));
        driver.progress(increment("r1", "thumbnail", t));

        assertThat(driver.run("r1").stages().get("thumbnail").completed())
                .as("img-1 once, img-2 once, two events without id").isEqualTo(4);
    }

    /** Issue 13: a worker that redoes a run after a crash sends every eventId again, far more than 128. */
    @Test
    void everyEventIdIsCountedOnceForTheWholeLifeOfItsRunHoweverLarge() {
        Instant t = driver.now();
        driver.progress(List.of(stageStarted("r1", "thumbnail", 300, t), stageStarted("r1", "cache", 300, t)));
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < 300; i++) {
                driver.progress(Events.withEventId(increment("r1", "thumbnail", t), "thumbnail:" + i));
            }
        }
        for (int i = 0; i < 300; i++) {
            driver.progress(Events.withEventId(increment("r1", "cache", t), "cache:" + i));
        }
        for (int i = 0; i < 150; i++) {
            driver.progress(Events.withEventId(increment("r1", "cache", t), "cache:" + i));
        }

        assertThat(driver.run("r1").stages().get("thumbnail").completed()).isEqualTo(300);
        assertThat(driver.run("r1").stages().get("cache").completed()).isEqualTo(300);
        assertThat(driver.run("r1").status()).isEqualTo(RunStatus.COMPLETED);
    }

    @Test
    void theSameEventIdInAnotherRunCountsThere() {
        Instant t = driver.now();
        for (String runId : List.of("r1", "r10", "r1")) {
            driver.progress(Events.withEventId(increment(runId, "scan", t), "scan:0"));
        }
        assertThat(driver.run("r1").stages().get("scan").completed()).isEqualTo(1);
        assertThat(driver.run("r10").stages().get("scan").completed()).isEqualTo(1);
    }

    /** What retention (issue 14) calls when it removes a run: exactly that run's ids go, whatever their number. */
    @Test
    void forgettingARunDeletesItsEventIdsAndOnlyThose() {
        Instant t = driver.now();
        for (String runId : List.of("r1", "r10")) {
            for (int i = 0; i < 200; i++) {
                driver.progress(Events.withEventId(increment(runId, "scan", t), "scan:" + i));
            }
        }
        driver.fileChange(new FileChangeEvent("lib", "/a.jpg", ChangeType.ADDED, null, null, "r1", null, null, t, null, null));
        assertThat(driver.eventIdKeys()).isEqualTo(401);

        driver.runEventIds().forgetRun("r1");

        assertThat(driver.eventIdKeys()).isEqualTo(200);
        driver.progress(Events.withEventId(increment("r10", "scan", t), "scan:0"));
        assertThat(driver.run("r10").stages().get("scan").completed()).as("r10's ids are still there").isEqualTo(200);
    }

    @Test
    void anEventForAnUnknownRunCreatesTheRun() {
        Instant t = driver.now();
        driver.progress(Events.withJob(increment("worker-run", "index", 5, t), "indexer"));

        RunSnapshot run = driver.run("worker-run");
        assertThat(run.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(run.jobId()).isEqualTo("indexer");
        assertThat(run.trigger()).isNull();
        assertThat(run.createdAt()).isEqualTo(t);
        assertThat(run.stages().get("index")).isEqualTo(new StageSnapshot(StageStatus.RUNNING, null, 5, 0, null, t, null));
        assertThat(run.percent()).as("no stage knows its total").isNull();
        assertThat(driver.statuses()).extracting(RunSnapshot::status).containsExactly(RunStatus.RUNNING);
    }

    @Test
    void aDueEventSeenAfterTheWorkerStartedFillsInTheTriggerWithoutRestartingTheRun() {
        DueEvent due = Events.due("nightly", SCHEDULED, Trigger.SCHEDULE, null);
        Instant t = driver.now();
        driver.progress(runStarted(due.runId(), t));
        driver.due(due);
        driver.due(due);

        RunSnapshot run = driver.run(due.runId());
        assertThat(run.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(run.trigger()).isEqualTo(Trigger.SCHEDULE);
        assertThat(run.jobId()).isEqualTo("nightly");
        assertThat(driver.statuses()).extracting(RunSnapshot::status, RunSnapshot::jobId)
                .as("RUNNING without a job, then again once the job is known; the duplicate due event changes nothing")
                .containsExactly(org.assertj.core.groups.Tuple.tuple(RunStatus.RUNNING, null),
                        org.assertj.core.groups.Tuple.tuple(RunStatus.RUNNING, "nightly"));
    }

    @Test
    void aDuplicateDueEventCreatesNoSecondRun() {
        DueEvent due = Events.due("nightly", SCHEDULED, Trigger.SCHEDULE, null);
        driver.due(due);
        driver.due(due);
        assertThat(driver.statuses()).extracting(RunSnapshot::status).containsExactly(RunStatus.PENDING);
    }

    @Test
    void aStageCompletesWhenItSaysSoAndTheRunWhenEveryStageHas() {
        Instant t = driver.now();
        driver.progress(List.of(runStarted("r1", t), stageStarted("r1", "scan", 10, t), increment("r1", "scan", 4, t),
                stageStarted("r1", "cache", 5, t)));
        driver.progress(Events.stage("r1", "scan", ProgressKind.STAGE_COMPLETED, t.plusSeconds(4)));
        RunSnapshot run = driver.run("r1");
        assertThat(run.stages().get("scan").status()).isEqualTo(StageStatus.COMPLETED);
        assertThat(run.stages().get("scan").completedAt()).isEqualTo(t.plusSeconds(4));
        assertThat(run.status()).as("cache is still open").isEqualTo(RunStatus.RUNNING);

        driver.progress(absolute("r1", "cache", 4L, 1L, t.plusSeconds(9)));
        run = driver.run("r1");
        assertThat(run.stages().get("cache").status()).as("completed + failed reached total").isEqualTo(StageStatus.COMPLETED);
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.completedAt()).isEqualTo(t.plusSeconds(9));
    }

    @Test
    void runCompletedEndsTheRunEvenWithStagesOpen() {
        Instant t = driver.now();
        driver.progress(List.of(stageStarted("r1", "scan", 10, t), Events.run("r1", ProgressKind.RUN_COMPLETED, "ok", t)));
        RunSnapshot run = driver.run("r1");
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.message()).isEqualTo("ok");
        assertThat(run.stages().get("scan").status()).isEqualTo(StageStatus.RUNNING);
    }

    /**
     * Issue 23: a worker reports every item (the run completes on the last one), then RUN_COMPLETED with its result
     * and summary: the run and the job's history keep them; the run's end stays where it was, and the same word
     * delivered again (or another one) changes nothing.
     */
    @Test
    void aRunCompletedAfterTheRunCompletedOnItsLastItemKeepsItsResult() {
        driver.due(Events.due("scan", SCHEDULED, Trigger.SCHEDULE, null));
        String runId = DueEvent.runIdFor("scan", SCHEDULED);
        Instant t = driver.now();
        driver.progress(List.of(stageStarted(runId, "scan", 2, t), increment(runId, "scan", 2, t.plusSeconds(1))));
        assertThat(driver.run(runId).status()).isEqualTo(RunStatus.COMPLETED);

        com.fasterxml.jackson.databind.node.ObjectNode result = com.fasterxml.jackson.databind.node.JsonNodeFactory
                .instance.objectNode().put("files", 2);
        driver.progress(new StageProgressEvent(runId, null, null, null, ProgressKind.RUN_COMPLETED, null, null, null, null,
                "scanned 2 files", t.plusSeconds(2), null, result, null));
        RunSnapshot run = driver.run(runId);
        assertThat(run.result()).isEqualTo(result);
        assertThat(run.message()).isEqualTo("scanned 2 files");
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.completedAt()).as("the end stays where it was").isEqualTo(t.plusSeconds(1));
        assertThat(driver.history("scan").items()).singleElement().satisfies(item -> {
            assertThat(item.result()).isEqualTo(result);
            assertThat(item.message()).isEqualTo("scanned 2 files");
        });

        driver.progress(Events.completed(runId, com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                .put("files", 99), t.plusSeconds(3)));
        assertThat(driver.run(runId).result()).as("the first word stays").isEqualTo(result);
    }

    /** Issue 23: the error of a RUN_FAILED after the run completed on its items is kept, not dropped. */
    @Test
    void aRunFailedAfterTheRunCompletedOnItsItemsKeepsItsError() {
        Instant t = driver.now();
        driver.progress(List.of(stageStarted("r1", "cache", 2, t), Events.absolute("r1", "cache", 1L, 1L, t)));
        assertThat(driver.run("r1").status()).isEqualTo(RunStatus.COMPLETED);
        driver.progress(Events.failed("r1", "1 of 2 failed", "cache write failed for /b.jpg", t.plusSeconds(1)));
        RunSnapshot run = driver.run("r1");
        assertThat(run.error()).isEqualTo("cache write failed for /b.jpg");
        assertThat(run.status()).as("its end was published and acted on").isEqualTo(RunStatus.COMPLETED);
    }

    @Test
    void aFailedRunStaysFailedWhileLateEventsStillCount() {
        Instant t = driver.now();
        driver.progress(List.of(runStarted("r1", t), stageStarted("r1", "cache", 10, t), increment("r1", "cache", t),
                Events.run("r1", ProgressKind.RUN_FAILED, "worker crashed", t.plusSeconds(3))));
        driver.progress(List.of(increment("r1", "cache", t.plusSeconds(4)), Events.run("r1", ProgressKind.RUN_STARTED, null, t)));

        RunSnapshot run = driver.run("r1");
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.message()).isEqualTo("worker crashed");
        assertThat(run.completedAt()).isEqualTo(t.plusSeconds(3));
        assertThat(run.stages().get("cache").completed()).isEqualTo(2);
        assertThat(driver.statuses()).extracting(RunSnapshot::status).containsExactly(RunStatus.RUNNING, RunStatus.FAILED);
    }

    @Test
    void aFailedStageThatStartsAgainIsARetry() {
        Instant t = driver.now();
        driver.progress(List.of(stageStarted("r1", "cache", 10, t), Events.stage("r1", "cache", ProgressKind.STAGE_FAILED, t)));
        assertThat(driver.run("r1").stages().get("cache").status()).isEqualTo(StageStatus.FAILED);
        assertThat(driver.run("r1").status()).as("a failed stage does not complete the run").isEqualTo(RunStatus.RUNNING);

        driver.progress(stageStarted("r1", "cache", 10, t.plusSeconds(1)));
        StageSnapshot cache = driver.run("r1").stages().get("cache");
        assertThat(cache.status()).isEqualTo(StageStatus.RUNNING);
        assertThat(cache.completedAt()).isNull();
    }

    @Test
    void aHeartbeatChangesNothingButLiveness() {
        driver.due(Events.due("nightly", SCHEDULED, Trigger.SCHEDULE, null));
        String runId = DueEvent.runIdFor("nightly", SCHEDULED);
        RunSnapshot before = driver.run(runId);
        driver.advance(Duration.ofMinutes(1));
        driver.progress(Events.run(runId, ProgressKind.HEARTBEAT, null, driver.now()));

        RunSnapshot after = driver.run(runId);
        assertThat(after.status()).isEqualTo(RunStatus.PENDING);
        assertThat(after.stages()).isEmpty();
        assertThat(after.startedAt()).isNull();
        assertThat(after.lastActivityAt()).isEqualTo(before.lastActivityAt().plus(Duration.ofMinutes(1)));
    }

    @Test
    void percentSpeedAndEtaComeFromCountsAndWorkerTimes() {
        Instant t = driver.now();
        driver.progress(List.of(runStarted("r1", t), stageStarted("r1", "scan", 50, t), stageStarted("r1", "cache", 50, t)));
        List<io.cronstream.schemas.StageProgressEvent> tenSeconds = new ArrayList<>();
        tenSeconds.add(increment("r1", "scan", 15, t.plusSeconds(5)));
        tenSeconds.add(increment("r1", "cache", 5, t.plusSeconds(10)));
        driver.progress(tenSeconds);

        RunSnapshot run = driver.run("r1");
        assertThat(run.percent()).isEqualTo(20.0);
        assertThat(run.itemsPerSecond()).isEqualTo(2.0);
        assertThat(run.etaSeconds()).isEqualTo(40);
        assertThat(run.lastEventAt()).isEqualTo(t.plusSeconds(10));
    }
}
