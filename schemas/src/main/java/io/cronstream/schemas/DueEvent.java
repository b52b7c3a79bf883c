package io.cronstream.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.Objects;

/** "Job X is due": one record on {@code cronstream.job-due} per fire, exactly once. */
public record DueEvent(
        String jobId,
        String runId,
        String name,
        String jobType,
        JsonNode payload,
        Instant scheduledFor,
        Instant firedAt,
        Trigger trigger,
        String timeZone,
        String triggeredBy) {

    public DueEvent {
        requireText(jobId, "jobId");
        requireText(runId, "runId");
        Objects.requireNonNull(scheduledFor, "scheduledFor is required");
        Objects.requireNonNull(firedAt, "firedAt is required");
        Objects.requireNonNull(trigger, "trigger is required");
        payload = payload == null ? JsonNodeFactory.instance.objectNode() : payload;
        timeZone = timeZone == null ? "UTC" : timeZone;
    }

    /** Deterministic, so a retried or duplicated delivery names the same run (DESIGN §2). */
    public static String runIdFor(String jobId, Instant scheduledFor) {
        return jobId + "@" + scheduledFor.toEpochMilli();
    }

    static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
    }
}
