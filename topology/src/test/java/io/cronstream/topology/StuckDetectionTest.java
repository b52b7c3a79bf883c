package io.cronstream.topology;

import static io.cronstream.topology.Events.increment;
import static io.cronstream.topology.Events.runStarted;
import static io.cronstream.topology.Events.stageStarted;
import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.schemas.AlertKind;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.ProgressKind;
import io.cronstream.schemas.RunSnapshot;
import io.cronstream.schemas.RunStatus;
import io.cronstream.schemas.StuckAlert;
import io.cronstream.schemas.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StuckDetectionTest {

    private static final Duration SCAN = Duration.ofSeconds(10);

    private ProgressDriver driver = new ProgressDriver();
    private final Instant t0 = ProgressDriver.T0;

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void exactlyOneAlertOnceARunIsQuietForLongerThanStuckAfter() {
        driver.progress(List.of(runStarted("r1", t0), stageStarted("r1", "scan", 10, t0)));
        driver.statuses();

        advanceInScans(Duration.ofMinutes(4).plusSeconds(50));
        assertThat(driver.alerts()).isEmpty();
        assertThat(driver.run("r1").stuck()).isFalse();

        advanceInScans(Duration.ofSeconds(20));
        Instant detected = driver.now();
        assertThat(driver.alerts()).containsExactly(new StuckAlert("r1", null, AlertKind.STUCK,
                t0.plus(Duration.ofMinutes(5)), t0, detected, Duration.ofMinutes(5)));
        RunSnapshot run = driver.run("r1");
        assertThat(run.stuck()).isTrue();
        assertThat(run.stuckSince()).isEqualTo(t0.plus(Duration.ofMinutes(5)));
        assertThat(run.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(driver.statuses()).singleElement().satisfies(published -> {
            assertThat(published.stuck()).isTrue();
            assertThat(published.status()).isEqualTo(RunStatus.RUNNING);
        });

        advanceInScans(Duration.ofMinutes(30));
        assertThat(driver.alerts()).as("one alert per stall").isEmpty();
        assertThat(driver.statuses()).isEmpty();
    }

    @Test
    void eventsThatResumeEndTheStallWithOneRecoveredRecord() {
        driver.progress(List.of(runStarted("r1", t0), stageStarted("r1", "scan", 10, t0)));
        advanceInScans(Duration.ofMinutes(5).plusSeconds(10));
        assertThat(driver.alerts()).extracting(StuckAlert::kind).containsExactly(AlertKind.STUCK);
        driver.statuses();

        advanceInScans(Duration.ofMinutes(1));
        Instant resumed = driver.now();
        driver.progress(increment("r1", "scan", resumed));

        assertThat(driver.alerts()).containsExactly(new StuckAlert("r1", null, AlertKind.RECOVERED,
                t0.plus(Duration.ofMinutes(5)), resumed, resumed, Duration.ofMinutes(5)));
        RunSnapshot run = driver.run("r1");
        assertThat(run.stuck()).isFalse();
        assertThat(run.stuckSince()).isNull();
        assertThat(driver.statuses()).extracting(RunSnapshot::stuck).containsExactly(false);

        driver.progress(increment("r1", "scan", resumed));
        assertThat(driver.alerts()).as("only the first event after a stall recovers it").isEmpty();

        advanceInScans(Duration.ofMinutes(5).plusSeconds(10));
        assertThat(driver.alerts()).as("a new stall, a new alert")
                .containsExactly(new StuckAlert("r1", null, AlertKind.STUCK, resumed.plus(Duration.ofMinutes(5)),
                        resumed, driver.now(), Duration.ofMinutes(5)));
    }

    @Test
    void aPendingRunNobodyPicksUpIsStuckAndAHeartbeatRecoversIt() {
        DueEvent due = Events.due("nightly", t0, Trigger.SCHEDULE, null);
        driver.due(due);
        advanceInScans(Duration.ofMinutes(5).plusSeconds(10));
        assertThat(driver.alerts()).singleElement().satisfies(alert -> {
            assertThat(alert.kind()).isEqualTo(AlertKind.STUCK);
            assertThat(alert.jobId()).isEqualTo("nightly");
        });
        assertThat(driver.run(due.runId()).status()).isEqualTo(RunStatus.PENDING);

        driver.progress(Events.run(due.runId(), ProgressKind.HEARTBEAT, null, driver.now()));
        assertThat(driver.alerts()).extracting(StuckAlert::kind).containsExactly(AlertKind.RECOVERED);
        assertThat(driver.run(due.runId()).status()).isEqualTo(RunStatus.PENDING);
    }

    @Test
    void aCustomStuckAfterIsHonoured() {
        driver.close();
        driver = new ProgressDriver(ProgressConfig.defaults().with(b -> b.defaultStuckAfter(Duration.ofMinutes(1))));
        driver.progress(runStarted("r1", t0));
        assertThat(driver.run("r1").stuckAfter()).isEqualTo(Duration.ofMinutes(1));

        advanceInScans(Duration.ofSeconds(50));
        assertThat(driver.alerts()).isEmpty();
        advanceInScans(Duration.ofSeconds(20));
        assertThat(driver.alerts()).singleElement().satisfies(alert -> {
            assertThat(alert.stuckSince()).isEqualTo(t0.plus(Duration.ofMinutes(1)));
            assertThat(alert.stuckAfter()).isEqualTo(Duration.ofMinutes(1));
        });
    }

    @Test
    void theJobsOwnThresholdsTravelWithItsDueEvent() {
        DueEvent due = Events.due("quick", t0, Duration.ofMinutes(2), Duration.ofMinutes(4));
        driver.due(due);
        assertThat(driver.run(due.runId()).stuckAfter()).isEqualTo(Duration.ofMinutes(2));
        assertThat(driver.run(due.runId()).failAfter()).isEqualTo(Duration.ofMinutes(4));

        advanceInScans(Duration.ofMinutes(2).plusSeconds(10));
        assertThat(driver.alerts()).extracting(StuckAlert::kind).containsExactly(AlertKind.STUCK);
        advanceInScans(Duration.ofMinutes(2));
        assertThat(driver.run(due.runId()).status()).isEqualTo(RunStatus.FAILED);
    }

    @Test
    void failAfterTurnsALongStallIntoAFailedRun() {
        driver.close();
        driver = new ProgressDriver(ProgressConfig.defaults().with(b -> b.defaultFailAfter(Duration.ofMinutes(15))));
        driver.progress(List.of(runStarted("r1", t0), stageStarted("r1", "scan", 10, t0)));
        advanceInScans(Duration.ofMinutes(14).plusSeconds(50));
        assertThat(driver.alerts()).extracting(StuckAlert::kind).containsExactly(AlertKind.STUCK);
        assertThat(driver.run("r1").status()).isEqualTo(RunStatus.RUNNING);
        driver.statuses();

        advanceInScans(Duration.ofSeconds(20));
        RunSnapshot run = driver.run("r1");
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.stuck()).isFalse();
        assertThat(run.completedAt()).isEqualTo(driver.now());
        assertThat(run.message()).isEqualTo("no activity for PT15M10S (failAfter PT15M)");
        assertThat(driver.statuses()).extracting(RunSnapshot::status).containsExactly(RunStatus.FAILED);
        assertThat(driver.alerts()).as("a failed stall is not a recovery").isEmpty();
        assertThat(driver.activityIndexSize()).isZero();

        advanceInScans(Duration.ofHours(1));
        assertThat(driver.alerts()).isEmpty();
        assertThat(driver.statuses()).isEmpty();
    }

    @Test
    void finishedRunsAreNeverFlagged() {
        driver.progress(List.of(stageStarted("done", "scan", 1, t0), increment("done", "scan", t0),
                runStarted("failed", t0), Events.run("failed", ProgressKind.RUN_FAILED, "boom", t0)));
        assertThat(driver.run("done").status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(driver.activityIndexSize()).isZero();

        advanceInScans(Duration.ofHours(2));

        assertThat(driver.alerts()).isEmpty();
        assertThat(driver.run("done").stuck()).isFalse();
        assertThat(driver.run("failed").stuck()).isFalse();
        assertThat(driver.scanReads()).isZero();
    }

    @Test
    void aRunThatCompletesWhileStuckRecoversAndLeavesTheIndex() {
        driver.progress(List.of(runStarted("r1", t0), stageStarted("r1", "scan", 1, t0)));
        advanceInScans(Duration.ofMinutes(6));
        driver.progress(increment("r1", "scan", driver.now()));

        assertThat(driver.alerts()).extracting(StuckAlert::kind).containsExactly(AlertKind.STUCK, AlertKind.RECOVERED);
        assertThat(driver.run("r1").status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(driver.run("r1").stuck()).isFalse();
        assertThat(driver.activityIndexSize()).isZero();
    }

    @Test
    void aBacklogBiggerThanOneScanMayHandleIsFinishedByTheNextScans() {
        driver.close();
        ProgressConfig d = ProgressConfig.defaults();
        driver = new ProgressDriver(d.with(b -> b.defaultFailAfter(null).maxStuckPerScan(3)));
        for (int i = 0; i < 5; i++) {
            driver.progress(runStarted("r" + i, t0));
        }
        driver.advance(Duration.ofMinutes(6));
        assertThat(driver.alerts()).hasSize(3);
        driver.advance(SCAN);
        assertThat(driver.alerts()).hasSize(2).allSatisfy(alert ->
                assertThat(alert.stuckSince()).as("a late look does not move the stall").isEqualTo(t0.plus(Duration.ofMinutes(5))));
        assertThat(driver.scanReads()).isEqualTo(5);
    }

    /** The TopologyTestDriver fires a punctuator once per advance, so time moves scan by scan like in production. */
    private void advanceInScans(Duration total) {
        for (Duration left = total; !left.isZero(); ) {
            Duration step = left.compareTo(SCAN) < 0 ? left : SCAN;
            driver.advance(step);
            left = left.minus(step);
        }
    }
}
