package io.cronstream.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * "Job X is due": one record on {@code cronstream.job-due} per fire, exactly once.
 *
 * @param stuckAfter the job's stall threshold, so the run it starts is watched with it (null: the default)
 * @param failAfter  the job's give-up threshold for a stalled run (null: never)
 * @param attempt       1 for a first try; n for the (n-1)th retry of a failed run (trigger RETRY)
 * @param retryOf       for RETRY: the failed run this one tries again
 * @param runTimeout    the job's runTimeout: the run is failed as TIMED_OUT this long after it started (null: never)
 * @param startDeadline the job's startDeadline: MISSED when no worker event follows this long (null: never)
 * @param followUp      the ticker acts when this run ends (overlap SKIP, retries, pause on failure, chained jobs),
 *                      so the progress topology tells it with a RUN_FINISHED command
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
        String overlapPolicy,
        Integer attempt,
        String retryOf,
        Duration runTimeout,
        Duration startDeadline,
        Boolean followUp) {

    /**
     * A fire time's run: epoch millis; a manual run's: {@code manual-} and its request id (see Command); a chained
     * run's: {@code after-} and a hash of the upstream run; a retry adds {@code -attempt-<n>} to the first try's.
     */
    private static final Pattern RUN_SUFFIX = Pattern.compile(
            "(-?[0-9]{1,19}|manual-[A-Za-z0-9._-]{1,64}|after-[0-9a-f]{16})(-attempt-[0-9]{1,3})?");

    /** What a retry adds to its first try's run id, before the attempt number. */
    private static final String RETRY_SUFFIX = "-attempt-";

    /** The characters of a request id: it becomes part of a run id, a Kafka key and a URL path. */
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** What a keyless trigger's request id is: its requestedAt in epoch millis. */
    private static final Pattern MILLIS = Pattern.compile("[0-9]+");
    /** The end of a retry's run id. */
    private static final Pattern ENDS_LIKE_RETRY = Pattern.compile(".*" + RETRY_SUFFIX + "[0-9]+");

    /**
     * Why {@code requestId} cannot be a user's idempotency key, or null when it can. A request id stands where a keyless
     * trigger's requestedAt millis stand ({@link #manualRunIdFor}), after {@code manual-} and before the suffix a retry
     * adds, so one that is only digits, {@code attempt-<digits>} or ends in {@code -attempt-<digits>} would name a run
     * Cronstream derives itself: refused at the edge (the API's 400, a dead letter on the commands topic). Every other
     * origin of a run has its own word after the {@code @} ({@code after-}, and those RERUN, BACKFILL and DATA runs
     * will have), so no key names one.
     */
    public static String requestIdProblem(String requestId) {
        if (requestId == null) {
            return null;
        }
        if (!REQUEST_ID.matcher(requestId).matches()) {
            return "an idempotency key is 1 to 64 letters, digits, '.', '_' or '-'";
        }
        if (MILLIS.matcher(requestId).matches()) {
            return "an idempotency key must not be only digits: that names the run of a trigger without a key "
                    + "(its requestedAt in epoch millis)";
        }
        if (ENDS_LIKE_RETRY.matcher("-" + requestId).matches()) {
            return "an idempotency key must not be attempt-<digits> or end in -attempt-<digits>: that names a retry "
                    + "of another run";
        }
        return null;
    }

    /** Retries a policy may ask for, at most: the attempt number is part of a run id. */
    public static final int MAX_ATTEMPTS = 100;

    public DueEvent {
        requireText(jobId, "jobId");
        requireText(runId, "runId");
        if (!runId.startsWith(jobId + "@") || !RUN_SUFFIX.matcher(runId.substring(jobId.length() + 1)).matches()) {
            throw new IllegalArgumentException("runId '" + runId + "' is not <jobId>@<epoch millis>, "
                    + "<jobId>@manual-<request id> or <jobId>@after-<16 hex digits>, with -attempt-<n> for a retry");
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
        requirePositive(runTimeout, "runTimeout");
        requirePositive(startDeadline, "startDeadline");
        followUp = Boolean.TRUE.equals(followUp) ? Boolean.TRUE : null; // absent when false, as older events are
        attempt = attempt == null ? 1 : attempt;
        if (attempt < 1 || attempt > MAX_ATTEMPTS) {
            throw new IllegalArgumentException("attempt must be between 1 and " + MAX_ATTEMPTS + ", got " + attempt);
        }
        retryOf = isBlank(retryOf) ? null : retryOf;
        if ((trigger == Trigger.RETRY) != (retryOf != null)) {
            throw new IllegalArgumentException("retryOf is required for trigger RETRY and only for it");
        }
    }

    /** A due event with the fields of a job before failure handling: attempt 1, no timeouts, no follow-up. */
    public DueEvent(String jobId, String runId, String name, String jobType, JsonNode payload, Instant scheduledFor,
            Instant firedAt, Trigger trigger, String timeZone, String triggeredBy, Duration stuckAfter,
            Duration failAfter, String overlapPolicy) {
        this(jobId, runId, name, jobType, payload, scheduledFor, firedAt, trigger, timeZone, triggeredBy, stuckAfter,
                failAfter, overlapPolicy, 1, null, null, null, null);
    }

    /** Whether the ticker wants to hear how this run ends. */
    public boolean wantsFollowUp() {
        return Boolean.TRUE.equals(followUp);
    }

    /** A due event built by name; see {@link Builder}. */
    public static Builder builder(String jobId, String runId) {
        return new Builder().jobId(jobId).runId(runId);
    }

    /** A copy with the changes {@code edit} makes to a builder that starts from this event. */
    public DueEvent with(Consumer<Builder> edit) {
        Builder builder = new Builder(this);
        edit.accept(builder);
        return builder.build();
    }

    /** The id of retry {@code attempt} (2 or more) of the run whose first try is {@code firstRunId}. */
    public static String retryRunIdFor(String firstRunId, int attempt) {
        return firstRunId + RETRY_SUFFIX + attempt;
    }

    /**
     * The first try's run id of any attempt's run id. Only the part after the last {@code @} is read: a job id may
     * hold {@code @} and {@code -attempt-} itself.
     */
    public static String firstRunIdOf(String runId) {
        int at = runId.lastIndexOf(RETRY_SUFFIX);
        return at < 0 || runId.lastIndexOf('@') > at || !ENDS_LIKE_RETRY.matcher(runId.substring(at)).matches()
                ? runId : runId.substring(0, at);
    }

    /**
     * The run a chained job makes when {@code upstreamRunId} ends: deterministic, so the upstream's end seen twice
     * makes one run.
     */
    public static String afterRunIdFor(String jobId, String upstreamRunId) {
        return jobId + "@after-" + Sha256.hex(upstreamRunId, 8);
    }

    /** Every field by name. */
    public static final class Builder {
        private String jobId;
        private String runId;
        private String name;
        private String jobType;
        private JsonNode payload;
        private Instant scheduledFor;
        private Instant firedAt;
        private Trigger trigger;
        private String timeZone;
        private String triggeredBy;
        private Duration stuckAfter;
        private Duration failAfter;
        private String overlapPolicy;
        private Integer attempt;
        private String retryOf;
        private Duration runTimeout;
        private Duration startDeadline;
        private Boolean followUp;

        private Builder() {
        }

        private Builder(DueEvent from) {
            jobId = from.jobId;
            runId = from.runId;
            name = from.name;
            jobType = from.jobType;
            payload = from.payload;
            scheduledFor = from.scheduledFor;
            firedAt = from.firedAt;
            trigger = from.trigger;
            timeZone = from.timeZone;
            triggeredBy = from.triggeredBy;
            stuckAfter = from.stuckAfter;
            failAfter = from.failAfter;
            overlapPolicy = from.overlapPolicy;
            attempt = from.attempt;
            retryOf = from.retryOf;
            runTimeout = from.runTimeout;
            startDeadline = from.startDeadline;
            followUp = from.followUp;
        }

        public Builder jobId(String value) { jobId = value; return this; }
        public Builder runId(String value) { runId = value; return this; }
        public Builder name(String value) { name = value; return this; }
        public Builder jobType(String value) { jobType = value; return this; }
        public Builder payload(JsonNode value) { payload = value; return this; }
        public Builder scheduledFor(Instant value) { scheduledFor = value; return this; }
        public Builder firedAt(Instant value) { firedAt = value; return this; }
        public Builder trigger(Trigger value) { trigger = value; return this; }
        public Builder timeZone(String value) { timeZone = value; return this; }
        public Builder triggeredBy(String value) { triggeredBy = value; return this; }
        public Builder stuckAfter(Duration value) { stuckAfter = value; return this; }
        public Builder failAfter(Duration value) { failAfter = value; return this; }
        public Builder overlapPolicy(String value) { overlapPolicy = value; return this; }
        public Builder attempt(Integer value) { attempt = value; return this; }
        public Builder retryOf(String value) { retryOf = value; return this; }
        public Builder runTimeout(Duration value) { runTimeout = value; return this; }
        public Builder startDeadline(Duration value) { startDeadline = value; return this; }
        public Builder followUp(Boolean value) { followUp = value; return this; }

        public DueEvent build() {
            return new DueEvent(jobId, runId, name, jobType, payload, scheduledFor, firedAt, trigger, timeZone,
                    triggeredBy, stuckAfter, failAfter, overlapPolicy, attempt, retryOf, runTimeout, startDeadline,
                    followUp);
        }
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
