package io.cronstream.topology.runs;

import io.cronstream.schemas.RunControl;
import io.cronstream.schemas.RunSnapshot;
import io.cronstream.schemas.StuckAlert;

/**
 * What the run processor publishes: a run's new state for run-status (key runId), a stall record for stuck-runs
 * (key runId), an alert for cronstream.alerts (key jobId) or a request to the run's workers for run-control
 * (key runId).
 */
public sealed interface RunOutput {

    record Status(RunSnapshot run) implements RunOutput {
    }

    record Alert(StuckAlert alert) implements RunOutput {
    }

    record Notice(io.cronstream.schemas.Alert alert) implements RunOutput {
    }

    record Control(RunControl control) implements RunOutput {
    }
}
