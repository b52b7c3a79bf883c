package io.cronstream.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * "Job X is due": one record on {@code cronstream.job-due} per fire, exactly once.
 *
 * @param stuckAfter the job's stall threshold, so the run it starts is watched with it (null: the default)
 * @param failAfter  the job's give-up threshold for a stalled run (null: never)
 */
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
        String triggeredBy,
        Duration stuckAfter,
        Duration failAfter,
        String overlapPolicy) {

    /** A fire time's run: epoch millis; a manual run's: {@code manual-} and its request id (see Command). */
    private static final Pattern RUN_SUFFIX = Pattern.compile("-?[0-9]{1,19}|manual-[A-Za-z0-9._-]{1,64}");

    public DueEvent {
        requireText(jobId, "jobId");
        requireText(runId, "runId");
        if (!runId.startsWith(jobId + "@") || !RUN_SUFFIX.matcher(runId.substring(jobId.length() + 1)).matches()) {
            throw new IllegalArgumentException("runId '" + runId
                    + "' is not <jobId>@<epoch millis> or <jobId>@manual-<request id>");
        }
        Objects.requireNonNull(scheduledFor, "scheduledFor is required");
        Objects.requireNonNull(firedAt, "firedAt is required");
        Objects.requireNonNull(trigger, "trigger is required");
        // The defaults of a job definition (DESIGN §4), so every due event carries every field its schema requires.
        name = isBlank(name) ? jobId : name;
        jobType = isBlank(jobType) ? "generic" : jobType;
        payload = payload == null || payload.isNull() ? JsonNodeFactory.instance.objectNode() : payload;
        if (!payload.isObject()) {
            throw new IllegalArgumentException(
                    "payload must be a JSON object, not " + payload.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        timeZone = isBlank(timeZone) ? "UTC" : timeZone;
        triggeredBy = isBlank(triggeredBy) ? null : triggeredBy;
        requirePositive(stuckAfter, "stuckAfter");
        requirePositive(failAfter, "failAfter");
    }

    /** Deterministic, so a retried or duplicated delivery names the same run (DESIGN §2). */
    public static String runIdFor(String jobId, Instant scheduledFor) {
        return jobId + "@" + scheduledFor.toEpochMilli();
    }

    /**
     * A manual run's id: never equal to a fire time's ({@link #runIdFor}), and deterministic per request, so a
     * redelivered or retried trigger names the same run.
     */
    public static String manualRunIdFor(String jobId, String requestId) {
        return jobId + "@manual-" + requestId;
    }

    static void requireText(String value, String field) {
        if (isBlank(value)) {
            throw new IllegalArgumentException(field + " is required");
        }
    }

    private static void requirePositive(Duration value, String field) {
        if (value != null && (value.isNegative() || value.isZero())) {
            throw new IllegalArgumentException(field + " must be a positive duration");
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
