package io.cronstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.ProgressKind;
import io.cronstream.schemas.Trigger;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * /metrics reads maintained counts and /api/v1/stuck a stuck index: both must equal what reading every stored
 * run gives, after every kind of change.
 */
class RunCountsTest {

    private final ProgressDriver driver = new ProgressDriver(ProgressConfig.defaults().with(b -> b.runRetention(Duration.ofHours(1))));

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void countsFollowNewRunsTransitionsStallsRecoveriesAndExpiry() {
        for (int i = 0; i < 6; i++) {
            driver.due(Events.due("job-" + i, driver.now(), Trigger.SCHEDULE, null));
        }
        String running = DueEvent.runIdFor("job-1", driver.now());
        String done = DueEvent.runIdFor("job-2", driver.now());
        String failed = DueEvent.runIdFor("job-3", driver.now());
        driver.progress(Events.runStarted(running, driver.now()));
        driver.progress(Events.run(done, ProgressKind.RUN_COMPLETED, null, driver.now()));
        driver.progress(Events.run(failed, ProgressKind.RUN_FAILED, "boom", driver.now()));
        driver.progress(Events.runStarted("unscheduled", driver.now()));
        assertThat(driver.runCounts()).isEqualTo(Map.of("PENDING", 3L, "RUNNING", 2L, "COMPLETED", 1L, "FAILED", 1L));

        driver.advance(Duration.ofMinutes(6)); // every open run stalls
        assertThat(driver.runCounts()).isEqualTo(driver.recountRuns()).containsEntry("stuck", 5L);
        assertThat(driver.stuckIndex()).isEqualTo(driver.stuckRunsByReadingAll()).hasSize(5);

        driver.progress(Events.runStarted(running, driver.now())); // recovers
        driver.progress(Events.run("unscheduled", ProgressKind.RUN_COMPLETED, null, driver.now())); // stuck → done
        assertThat(driver.runCounts()).isEqualTo(driver.recountRuns()).containsEntry("stuck", 3L);
        assertThat(driver.stuckIndex()).isEqualTo(driver.stuckRunsByReadingAll()).hasSize(3)
                .doesNotContainKeys(running, "unscheduled");

        driver.advance(Duration.ofMinutes(55)); // the first two finished runs expire
        assertThat(driver.runCounts()).isEqualTo(driver.recountRuns())
                .containsEntry("COMPLETED", 1L).doesNotContainKey("FAILED");
    }
}
