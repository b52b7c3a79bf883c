package io.cronstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.schemas.AlertKind;
import io.cronstream.schemas.StuckAlert;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A scan reads only the stale part of the activity index: its cost follows the stuck runs, not all runs. */
class StuckScanCostTest {

    private static final int ACTIVE = 100_000;
    private static final int STALLED = 10;

    @Test
    void aScanOverManyActiveRunsReadsOnlyTheStalledOnes() {
        try (ProgressDriver driver = new ProgressDriver()) {
            IntStream.range(0, STALLED).forEach(i -> driver.progress(Events.runStarted("stalled-" + i, driver.now())));
            driver.advance(Duration.ofMinutes(3));
            IntStream.range(0, ACTIVE).forEach(i -> driver.progress(Events.runStarted("active-" + i, driver.now())));
            driver.statuses();
            assertThat(driver.activityIndexSize()).isEqualTo(ACTIVE + STALLED);
            double readBefore = driver.scanReads();

            driver.advance(Duration.ofMinutes(2).plusSeconds(1));

            assertThat(driver.scanReads() - readBefore).isEqualTo(STALLED);
            assertThat(driver.alerts()).hasSize(STALLED)
                    .allSatisfy(alert -> assertThat(alert.runId()).startsWith("stalled-"))
                    .extracting(StuckAlert::kind).containsOnly(AlertKind.STUCK);

            double readAfterFirst = driver.scanReads();
            driver.advance(Duration.ofSeconds(10));
            assertThat(driver.scanReads() - readAfterFirst).as("flagged runs without failAfter leave the index").isZero();
        }
    }
}
