package io.cronstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.ProgressKind;
import io.cronstream.schemas.Trigger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A week of jobs that fire and finish, under a one-day retention: the runs stored level off at one day's
 * worth, the runs' changelog carries a tombstone for every run that went, and histories stay at their cap.
 *
 * <p>By default 5 jobs fire every hour, so the test takes seconds; {@code -Dcronstream.soak.full=true}
 * runs the scale, 100 jobs every minute (about a million runs), with in-memory stores.
 */
class RetentionSoakTest {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionSoakTest.class);
    private static final boolean FULL = Boolean.getBoolean("cronstream.soak.full");
    private static final int JOBS = FULL ? 100 : 5;
    private static final Duration EVERY = FULL ? Duration.ofMinutes(1) : Duration.ofHours(1);
    private static final Duration RETENTION = Duration.ofDays(1);
    private static final int DAYS = 7;

    @Test
    void aWeekOfRunsUnderAOneDayRetentionLevelsOffAtADaysWorth() {
        // The full scale keeps its stores in memory: the driver commits after every record, and a commit flushes
        // every RocksDB store to disk, which would make a week of a million runs take hours.
        ProgressConfig config = ProgressConfig.defaults()
                .with(b -> b.runRetention(RETENTION).historySize(100).inMemoryStores(FULL));
        long perDay = JOBS * (Duration.ofDays(1).toMillis() / EVERY.toMillis());
        List<Long> storedAtDayEnd = new ArrayList<>();
        long fired = 0;
        long runTombstones = 0;
        try (ProgressDriver driver = new ProgressDriver(config)) {
            for (int day = 1; day <= DAYS; day++) {
                for (long tick = 0; tick < perDay / JOBS; tick++) {
                    for (int job = 0; job < JOBS; job++) {
                        DueEvent due = Events.due("job-" + job, driver.now(), Trigger.SCHEDULE, null);
                        driver.due(due);
                        driver.progress(Events.withEventId(
                                Events.run(due.runId(), ProgressKind.RUN_COMPLETED, null, driver.now()),
                                due.runId() + "/done"));
                        fired++;
                    }
                    driver.advance(EVERY);
                    if (tick % 60 == 0) {
                        runTombstones += tombstones(driver.drainTombstones(), ProgressTopology.RUNS_STORE);
                    }
                }
                runTombstones += tombstones(driver.drainTombstones(), ProgressTopology.RUNS_STORE);
                long stored = driver.size(ProgressTopology.RUNS_STORE);
                storedAtDayEnd.add(stored);
                LOG.info("event=soak-day day={} fired={} stored={} expiryEntries={} eventIds={} runTombstones={}",
                        day, fired, stored, driver.size(ProgressTopology.RUN_EXPIRY_STORE),
                        driver.size(ProgressTopology.RUN_EVENT_IDS_STORE), runTombstones);
            }

            // A run fired at the start of a day is gone a day (plus at most one sweep) after it finished.
            assertThat(storedAtDayEnd.subList(1, DAYS)).as("runs stored at the end of days 2..%d", DAYS)
                    .allSatisfy(stored -> assertThat(stored).isBetween(perDay - JOBS, perDay + JOBS));
            assertThat(storedAtDayEnd.get(DAYS - 1)).isEqualTo(storedAtDayEnd.get(1));
            assertThat(driver.size(ProgressTopology.RUN_EXPIRY_STORE)).isEqualTo(storedAtDayEnd.get(DAYS - 1));
            assertThat(driver.size(ProgressTopology.RUN_EVENT_IDS_STORE)).isEqualTo(storedAtDayEnd.get(DAYS - 1));
            assertThat(runTombstones).as("one tombstone per expired run").isEqualTo(fired - storedAtDayEnd.get(DAYS - 1));
            assertThat(driver.history("job-0").count()).isEqualTo(100);
        }
    }

    private static long tombstones(Map<String, Long> byTopic, String store) {
        return byTopic.getOrDefault("cronstream-test-" + store + "-changelog", 0L);
    }
}
