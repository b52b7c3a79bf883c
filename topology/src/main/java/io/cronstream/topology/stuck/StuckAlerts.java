package io.cronstream.topology.stuck;

import io.cronstream.schemas.AlertKind;
import io.cronstream.schemas.RunSnapshot;
import io.cronstream.schemas.StuckAlert;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Decides, from a run's state before and after a change, whether a stall began or ended, and says so. */
public final class StuckAlerts {

    private static final Logger LOG = LoggerFactory.getLogger(StuckAlerts.class);

    private StuckAlerts() {
    }

    /**
     * STUCK when the flag goes up; RECOVERED when it goes down because events resumed. A stall that
     * ends in FAILED (failAfter) has no activity after it, so it does not count as recovered.
     */
    public static Optional<StuckAlert> between(RunSnapshot before, RunSnapshot after, Instant now) {
        boolean wasStuck = before != null && before.stuck();
        if (!wasStuck && after.stuck()) {
            LOG.warn("event=stuck runId={} jobId={} status={} idleFor={} stuckAfter={} lastActivityAt={}",
                    after.runId(), after.jobId(), after.status(), Duration.between(after.lastActivityAt(), now),
                    after.stuckAfter(), after.lastActivityAt());
            return Optional.of(new StuckAlert(after.runId(), after.jobId(), AlertKind.STUCK, after.stuckSince(),
                    after.lastActivityAt(), now, after.stuckAfter()));
        }
        if (wasStuck && !after.stuck() && after.lastActivityAt().isAfter(before.lastActivityAt())) {
            LOG.info("event=recovered runId={} jobId={} status={} stuckFor={} stuckSince={}", after.runId(),
                    after.jobId(), after.status(), Duration.between(before.stuckSince(), now), before.stuckSince());
            return Optional.of(new StuckAlert(after.runId(), after.jobId(), AlertKind.RECOVERED, before.stuckSince(),
                    after.lastActivityAt(), now, before.stuckAfter()));
        }
        return Optional.empty();
    }
}
