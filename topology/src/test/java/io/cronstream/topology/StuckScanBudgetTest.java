package io.cronstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.schemas.StuckAlert;
import io.cronstream.schemas.Trigger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A stuck scan stops at its time budget; the stalls it did not reach keep their passed deadlines and the
 * next scans handle them, each once. A budget of one nanosecond leaves each scan exactly its one
 * guaranteed entry, so the test counts entries, not time.
 */
class StuckScanBudgetTest {

    private final ProgressDriver driver = new ProgressDriver(ProgressConfig.defaults()
            .with(b -> b.scanTimeBudget(Duration.ofNanos(1))));

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void aScanOverItsTimeBudgetLeavesTheRestToTheNextScans() {
        for (int i = 0; i < 5; i++) {
            driver.due(Events.due("job-" + i, ProgressDriver.T0, Trigger.SCHEDULE, null));
        }
        List<Integer> perScan = new ArrayList<>();
        List<StuckAlert> alerts = new ArrayList<>();
        driver.advance(Duration.ofMinutes(6)); // one scan: every run has been quiet for longer than stuckAfter
        for (int scan = 0; scan < 6; scan++) {
            List<StuckAlert> these = driver.alerts();
            perScan.add(these.size());
            alerts.addAll(these);
            driver.advance(Duration.ofSeconds(10));
        }
        assertThat(perScan).containsExactly(1, 1, 1, 1, 1, 0);
        assertThat(alerts).extracting(StuckAlert::runId).doesNotHaveDuplicates().hasSize(5);
    }
}
