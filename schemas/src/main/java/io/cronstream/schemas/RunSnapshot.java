package io.cronstream.schemas;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The state of one run: the value on {@code cronstream.run-status} (key runId) and in the
 * {@code progress-runs} store, so the API shows exactly what was published.
 *
 * <p>Worker-reported times ({@code startedAt}, {@code completedAt}, {@code lastEventAt}, stage times)
 * come from the events' {@code at}; Cronstream's own clock gives {@code createdAt}, {@code updatedAt},
 * {@code lastActivityAt} (the last stage-progress event seen, what stuck detection watches) and
 * {@code stuckSince} ({@code lastActivityAt + stuckAfter}). {@code percent}, {@code itemsPerSecond} and
 * {@code etaSeconds} are derived from the stage counts and are null while unknown.
 *
 * <p>Failure handling (DESIGN §12): {@code attempt} (1 for a first try) and {@code retryOf} (the failed run a
 * retry tries again); {@code failureReason} says why Cronstream itself failed the run ({@code TIMED_OUT},
 * {@code STALLED}; null when a worker reported the failure); {@code result} / {@code error} are what the workers
 * reported with RUN_COMPLETED / RUN_FAILED; {@code missedAt} is when no worker event had followed the due event
 * within {@code startDeadline}; {@code followUp}: the ticker is told when the run ends.
 */
public record RunSnapshot(
        String runId,
        String jobId,
        String jobType,
        RunStatus status,
        boolean stuck,
        Instant stuckSince,
        Trigger trigger,
        String triggeredBy,
        Instant scheduledFor,
        Instant createdAt,
        Instant startedAt,
        Instant updatedAt,
        Instant completedAt,
        Instant lastActivityAt,
        Instant lastEventAt,
        Double percent,
        Double itemsPerSecond,
        Long etaSeconds,
        Map<String, StageSnapshot> stages,
        @JsonFormat(shape = JsonFormat.Shape.STRING) Duration stuckAfter,
        @JsonFormat(shape = JsonFormat.Shape.STRING) Duration failAfter,
        String message,
        String overlapPolicy,
        Integer attempt,
        String retryOf,
        String failureReason,
        JsonNode result,
        String error,
        @JsonFormat(shape = JsonFormat.Shape.STRING) Duration runTimeout,
        @JsonFormat(shape = JsonFormat.Shape.STRING) Duration startDeadline,
        Instant missedAt,
        Boolean followUp) {

    public RunSnapshot {
        Checks.requireId(runId, "runId", StageProgressEvent.MAX_RUN_ID);
        Objects.requireNonNull(status, "status is required");
        Objects.requireNonNull(createdAt, "createdAt is required");
        Objects.requireNonNull(updatedAt, "updatedAt is required");
        Objects.requireNonNull(lastActivityAt, "lastActivityAt is required");
        Objects.requireNonNull(stuckAfter, "stuckAfter is required");
        followUp = Boolean.TRUE.equals(followUp) ? Boolean.TRUE : null;
        // Stages keep the order they first appeared in, which is the order a dashboard shows them.
        stages = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(stages, "stages is required")));
    }

    /** A run built by name: a new run is PENDING with no stages; every other field is null or false until set. */
    public static Builder builder(String runId) {
        return new Builder().runId(runId);
    }

    /** A copy with the changes {@code edit} makes to a builder that starts from this run. */
    public RunSnapshot with(Consumer<Builder> edit) {
        Builder builder = toBuilder();
        edit.accept(builder);
        return builder.build();
    }

    /** A builder that starts from this run, for a caller that makes several changes before it needs a run again. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Whether the ticker waits for this run to end before firing its job again (overlap policy SKIP). */
    public boolean holdsItsJob() {
        return "SKIP".equals(overlapPolicy);
    }

    /** Whether the ticker is told how this run ends (RUN_FINISHED): it waits for it, may retry it, or chains after it. */
    public boolean reportsEnd() {
        return Boolean.TRUE.equals(followUp) || holdsItsJob();
    }

    /** Items finished, either way, over all stages. */
    public long itemsProcessed() {
        return stages.values().stream().mapToLong(StageSnapshot::done).sum();
    }

    public long itemsSucceeded() {
        return stages.values().stream().mapToLong(StageSnapshot::completed).sum();
    }

    public long itemsFailed() {
        return stages.values().stream().mapToLong(StageSnapshot::failed).sum();
    }
    /** Every field by name. */
    public static final class Builder {
        private String runId;
        private String jobId;
        private String jobType;
        private RunStatus status = RunStatus.PENDING;
        private boolean stuck;
        private Instant stuckSince;
        private Trigger trigger;
        private String triggeredBy;
        private Instant scheduledFor;
        private Instant createdAt;
        private Instant startedAt;
        private Instant updatedAt;
        private Instant completedAt;
        private Instant lastActivityAt;
        private Instant lastEventAt;
        private Double percent;
        private Double itemsPerSecond;
        private Long etaSeconds;
        private Map<String, StageSnapshot> stages = Map.of();
        private Duration stuckAfter;
        private Duration failAfter;
        private String message;
        private String overlapPolicy;
        private Integer attempt;
        private String retryOf;
        private String failureReason;
        private JsonNode result;
        private String error;
        private Duration runTimeout;
        private Duration startDeadline;
        private Instant missedAt;
        private Boolean followUp;

        private Builder() {
        }

        private Builder(RunSnapshot from) {
            runId = from.runId;
            jobId = from.jobId;
            jobType = from.jobType;
            status = from.status;
            stuck = from.stuck;
            stuckSince = from.stuckSince;
            trigger = from.trigger;
            triggeredBy = from.triggeredBy;
            scheduledFor = from.scheduledFor;
            createdAt = from.createdAt;
            startedAt = from.startedAt;
            updatedAt = from.updatedAt;
            completedAt = from.completedAt;
            lastActivityAt = from.lastActivityAt;
            lastEventAt = from.lastEventAt;
            percent = from.percent;
            itemsPerSecond = from.itemsPerSecond;
            etaSeconds = from.etaSeconds;
            stages = from.stages;
            stuckAfter = from.stuckAfter;
            failAfter = from.failAfter;
            message = from.message;
            overlapPolicy = from.overlapPolicy;
            attempt = from.attempt;
            retryOf = from.retryOf;
            failureReason = from.failureReason;
            result = from.result;
            error = from.error;
            runTimeout = from.runTimeout;
            startDeadline = from.startDeadline;
            missedAt = from.missedAt;
            followUp = from.followUp;
        }

        public Builder runId(String value) {
            runId = value;
            return this;
        }

        public Builder jobId(String value) {
            jobId = value;
            return this;
        }

        public Builder jobType(String value) {
            jobType = value;
            return this;
        }

        public Builder status(RunStatus value) {
            status = value;
            return this;
        }

        public Builder stuck(boolean value) {
            stuck = value;
            return this;
        }

        public Builder stuckSince(Instant value) {
            stuckSince = value;
            return this;
        }

        public Builder trigger(Trigger value) {
            trigger = value;
            return this;
        }

        public Builder triggeredBy(String value) {
            triggeredBy = value;
            return this;
        }

        public Builder scheduledFor(Instant value) {
            scheduledFor = value;
            return this;
        }

        public Builder createdAt(Instant value) {
            createdAt = value;
            return this;
        }

        public Builder startedAt(Instant value) {
            startedAt = value;
            return this;
        }

        public Builder updatedAt(Instant value) {
            updatedAt = value;
            return this;
        }

        public Builder completedAt(Instant value) {
            completedAt = value;
            return this;
        }

        public Builder lastActivityAt(Instant value) {
            lastActivityAt = value;
            return this;
        }

        public Builder lastEventAt(Instant value) {
            lastEventAt = value;
            return this;
        }

        public Builder percent(Double value) {
            percent = value;
            return this;
        }

        public Builder itemsPerSecond(Double value) {
            itemsPerSecond = value;
            return this;
        }

        public Builder etaSeconds(Long value) {
            etaSeconds = value;
            return this;
        }

        public Builder stages(Map<String, StageSnapshot> value) {
            stages = value;
            return this;
        }

        public Builder stuckAfter(Duration value) {
            stuckAfter = value;
            return this;
        }

        public Builder failAfter(Duration value) {
            failAfter = value;
            return this;
        }

        public Builder message(String value) {
            message = value;
            return this;
        }

        public Builder overlapPolicy(String value) {
            overlapPolicy = value;
            return this;
        }

        public Builder attempt(Integer value) {
            attempt = value;
            return this;
        }

        public Builder retryOf(String value) {
            retryOf = value;
            return this;
        }

        public Builder failureReason(String value) {
            failureReason = value;
            return this;
        }

        public Builder result(JsonNode value) {
            result = value;
            return this;
        }

        public Builder error(String value) {
            error = value;
            return this;
        }

        public Builder runTimeout(Duration value) {
            runTimeout = value;
            return this;
        }

        public Builder startDeadline(Duration value) {
            startDeadline = value;
            return this;
        }

        public Builder missedAt(Instant value) {
            missedAt = value;
            return this;
        }

        public Builder followUp(Boolean value) {
            followUp = value;
            return this;
        }

        // What is set so far, for a caller that derives fields from others before it builds the run.

        public String jobType() {
            return jobType;
        }

        public String triggeredBy() {
            return triggeredBy;
        }

        public String message() {
            return message;
        }

        public RunStatus status() {
            return status;
        }

        public Instant startedAt() {
            return startedAt;
        }

        public Instant lastEventAt() {
            return lastEventAt;
        }

        public RunSnapshot build() {
            return new RunSnapshot(runId, jobId, jobType, status, stuck, stuckSince, trigger, triggeredBy, scheduledFor,
                    createdAt, startedAt, updatedAt, completedAt, lastActivityAt, lastEventAt, percent, itemsPerSecond,
                    etaSeconds, stages, stuckAfter, failAfter, message, overlapPolicy, attempt, retryOf, failureReason,
                    result, error, runTimeout, startDeadline, missedAt, followUp);
        }
    }
}
