package io.cronstream.topology.runs;

import io.cronstream.schemas.RunSnapshot;
import io.cronstream.schemas.StuckAlert;

/** What the run processor publishes: a run's new state for run-status, or an alert for stuck-runs. */
public sealed interface RunOutput {

    record Status(RunSnapshot run) implements RunOutput {
    }

    record Alert(StuckAlert alert) implements RunOutput {
    }
}
