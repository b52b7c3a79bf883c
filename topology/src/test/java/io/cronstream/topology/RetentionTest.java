package io.cronstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.ProgressKind;
import io.cronstream.schemas.RunHistoryItem;
import io.cronstream.schemas.RunStatus;
import io.cronstream.schemas.Trigger;
import io.cronstream.topology.retention.RetentionSweep;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** DESIGN §10: a finished run goes after the retention, with everything keyed by it; its job's history stays. */
class RetentionTest {

    private static final Duration RETENTION = Duration.ofHours(1);

    private final ProgressDriver driver = new ProgressDriver(ProgressConfig.defaults().with(b -> b.runRetention(RETENTION)));
    private final TestOutputTopic<String, byte[]> runsChangelog = driver.changelog(ProgressTopology.RUNS_STORE);
    private final TestOutputTopic<String, byte[]> eventIdsChangelog =
            driver.changelog(ProgressTopology.RUN_EVENT_IDS_STORE);

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void aFinishedRunIsRemovedAfterTheRetentionWithItsEventIdsButStaysInItsJobsHistory() {
        String done = finish("nightly", driver.now(), ProgressKind.RUN_COMPLETED);
        String failed = finish("hourly", driver.now(), ProgressKind.RUN_FAILED);
        String running = start("weekly", driver.now());
        assertThat(driver.eventIdsOf(done)).isEqualTo(2);
        assertThat(driver.size(ProgressTopology.RUN_EXPIRY_STORE)).isEqualTo(2);

        driver.advance(RETENTION.minusSeconds(10));
        assertThat(driver.run(done)).as("kept for the retention").isNotNull();
        assertThat(driver.run(failed)).isNotNull();
        runsChangelog.readRecordsToList();
        eventIdsChangelog.readRecordsToList();

        driver.advance(Duration.ofSeconds(20));

        assertThat(driver.run(done)).isNull();
        assertThat(driver.run(failed)).isNull();
        assertThat(driver.eventIdsOf(done)).isZero();
        assertThat(driver.eventIdsOf(running)).isEqualTo(1);
        assertThat(driver.size(ProgressTopology.RUN_EXPIRY_STORE)).isZero();
        assertThat(driver.run(running)).as("an unfinished run is never expired").isNotNull();
        assertThat(tombstones(runsChangelog)).containsExactlyInAnyOrder(done, failed);
        // every id of both runs (start and end) and the failed run's FAILED alert, none of the running one
        assertThat(tombstones(eventIdsChangelog)).hasSize(5)
                .extracting(key -> key.substring(0, key.indexOf('\u0000'))).containsOnly(done, failed);
        assertThat(driver.history("nightly").items()).extracting(RunHistoryItem::runId, RunHistoryItem::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(done, RunStatus.COMPLETED));
    }

    @Test
    void aRunThatChangesAfterFinishingIsKeptForTheRetentionFromItsLastChange() {
        Instant t = driver.now();
        String runId = finish("nightly", t, ProgressKind.RUN_COMPLETED);
        driver.advance(RETENTION.dividedBy(2));
        driver.progress(Events.increment(runId, "cleanup", driver.now())); // late, but it still counts
        assertThat(driver.run(runId).stages().get("cleanup").completed()).isEqualTo(1);

        driver.advance(RETENTION.dividedBy(2).plusSeconds(10));
        assertThat(driver.run(runId)).as("its retention counts from the last change").isNotNull();

        driver.advance(RETENTION.dividedBy(2));
        assertThat(driver.run(runId)).isNull();
        assertThat(driver.size(ProgressTopology.RUN_EXPIRY_STORE)).isZero();
    }

    /** A sweep reads the expired entries only: its cost follows what expires, not what is stored. */
    @Test
    void aSweepReadsOnlyTheExpiredRuns() {
        int old = 7;
        int recent = 300;
        IntStream.range(0, old).forEach(i -> finish("old-" + i, driver.now(), ProgressKind.RUN_COMPLETED));
        driver.advance(RETENTION.dividedBy(2));
        IntStream.range(0, recent).forEach(i -> finish("recent-" + i, driver.now(), ProgressKind.RUN_COMPLETED));
        double before = driver.metricTotal(RetentionSweep.ENTRIES_READ + "-total");

        driver.advance(RETENTION.dividedBy(2).plusSeconds(1));

        assertThat(driver.metricTotal(RetentionSweep.ENTRIES_READ + "-total") - before).isEqualTo(old);
        assertThat(driver.size(ProgressTopology.RUNS_STORE)).isEqualTo(recent);
    }

    private String finish(String jobId, Instant scheduledFor, ProgressKind verdict) {
        String runId = start(jobId, scheduledFor);
        driver.progress(Events.withEventId(Events.run(runId, verdict, null, driver.now()), runId + "/done"));
        return runId;
    }

    private String start(String jobId, Instant scheduledFor) {
        DueEvent due = Events.due(jobId, scheduledFor, Trigger.SCHEDULE, null);
        driver.due(due);
        driver.progress(Events.withEventId(Events.runStarted(due.runId(), driver.now()), due.runId() + "/start"));
        return due.runId();
    }

    private static List<String> tombstones(TestOutputTopic<String, byte[]> changelog) {
        return changelog.readRecordsToList().stream().filter(r -> r.value() == null).map(TestRecord::key).toList();
    }
}
