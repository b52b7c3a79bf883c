package io.cronstream.topology.runs;

import io.cronstream.schemas.Alert;
import io.cronstream.schemas.AlertKind;
import io.cronstream.schemas.RunSnapshot;
import io.cronstream.schemas.RunStatus;
import io.cronstream.schemas.StuckAlert;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides, from a run's state before and after a change, which alerts of DESIGN §12 the change raises on
 * {@code cronstream.alerts}. Pure; the run processor still keeps a ledger per run, so that each kind is raised at
 * most once per run whatever path the run takes (a second stall raises no second STUCK there; cronstream.stuck-runs
 * keeps one record per stall).
 *
 * <p>A timed-out run raises TIMED_OUT (why) and FAILED (what): FAILED stands for every run that ends FAILED,
 * whatever failed it, so a consumer that counts or follows failures needs no second kind. An alert names a job
 * (its key on the topic), so a run whose job is not known yet (stage-progress events without a due event nor a
 * jobId) raises none until it is: its FAILED is raised when its due event arrives late.
 */
final class RunAlerts {

    private RunAlerts() {
    }

    static List<Alert> between(RunSnapshot before, RunSnapshot after, Optional<StuckAlert> stall, Instant now) {
        List<Alert> alerts = new ArrayList<>();
        if (after.jobId() == null) {
            return alerts;
        }
        // a job that becomes known now makes the run's earlier changes count as new
        RunSnapshot was = before == null || before.jobId() == null ? null : before;
        stall.ifPresent(stuck -> alerts.add(alert(after, stuck.kind(), now, stuck.kind() == AlertKind.STUCK
                ? "no event since " + stuck.lastActivityAt() + " (stuckAfter " + stuck.stuckAfter() + ")"
                : "events resumed at " + stuck.lastActivityAt() + " after a stall since " + stuck.stuckSince())));
        if (after.missedAt() != null && (was == null || was.missedAt() == null)) {
            alerts.add(alert(after, AlertKind.MISSED, now, "no worker event within startDeadline "
                    + after.startDeadline() + " of the due event at " + after.createdAt()));
        }
        if (after.status() == RunStatus.FAILED && (was == null || was.status() != RunStatus.FAILED)) {
            if (RunRules.TIMED_OUT.equals(after.failureReason())) {
                alerts.add(alert(after, AlertKind.TIMED_OUT, now, after.message()));
            }
            alerts.add(alert(after, AlertKind.FAILED, now, failure(after)));
        }
        return alerts;
    }

    /** What a person reads first: the worker's error, else its message, else why Cronstream failed the run. */
    private static String failure(RunSnapshot run) {
        if (run.error() != null) {
            return run.error();
        }
        if (run.message() != null) {
            return run.message();
        }
        return run.failureReason() != null ? run.failureReason() : "run failed";
    }

    private static Alert alert(RunSnapshot run, AlertKind kind, Instant now, String message) {
        return new Alert(kind, run.jobId(), run.runId(), run.attempt(), now, message);
    }
}
