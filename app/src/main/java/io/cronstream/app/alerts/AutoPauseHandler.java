package io.cronstream.app.alerts;

import io.cronstream.api.ApiException;
import io.cronstream.api.AutoPause;
import io.cronstream.schemas.Alert;
import io.cronstream.schemas.AlertKind;
import java.util.List;

/**
 * Writes each PAUSED alert's pause into MongoDB ({@link AutoPause}), retrying while MongoDB cannot be reached; what
 * still fails becomes a dead letter with the reason, and an operator pauses the job by hand (the ticker holds the
 * pause meanwhile).
 */
public final class AutoPauseHandler implements AlertHandler {

    private final AutoPause writer;
    private final Backoff backoff;

    public AutoPauseHandler(AutoPause writer, Backoff backoff) {
        this.writer = writer;
        this.backoff = backoff;
    }

    @Override
    public List<String> handle(Alert alert) throws InterruptedException {
        if (alert.kind() != AlertKind.PAUSED) {
            return List.of();
        }
        String why = null;
        for (int attempt = 1; attempt <= backoff.attempts(); attempt++) {
            if (attempt > 1) {
                backoff.sleepAfter(attempt - 1);
            }
            try {
                writer.apply(alert);
                return List.of();
            } catch (ApiException e) {
                why = e.getMessage();
            }
        }
        return List.of("automatic pause of job '" + alert.jobId() + "' not written to MongoDB after "
                + backoff.attempts() + " attempts: " + why);
    }
}
