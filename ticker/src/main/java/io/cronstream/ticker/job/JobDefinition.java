package io.cronstream.ticker.job;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.cronstream.ticker.schedule.CronDialect;
import io.cronstream.ticker.schedule.CronSchedule;
import io.cronstream.ticker.schedule.IntervalSchedule;
import io.cronstream.ticker.schedule.JobSchedule;
import io.cronstream.ticker.schedule.ManualSchedule;
import io.cronstream.ticker.schedule.OnceSchedule;
import io.cronstream.ticker.schedule.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A job definition as Cronstream understands it, whatever spelling the document used. An invalid
 * one keeps every field that could be read, so the API can show it next to its {@code error}.
 */
public record JobDefinition(
        String jobId,
        String name,
        String jobType,
        ScheduleType scheduleType,
        String cron,
        CronDialect cronType,
        Duration interval,
        Instant runAt,
        String timeZone,
        boolean enabled,
        JsonNode payload,
        Instant startAt,
        Instant endAt,
        Long maxRuns,
        MisfirePolicy misfirePolicy,
        Duration catchupWindow,
        OverlapPolicy overlapPolicy,
        Duration stuckAfter,
        Duration failAfter,
        boolean valid,
        String error,
        String description,
        Pause pause,
        Long version,
        String updatedBy,
        RetryPolicy retry,
        Duration runTimeout,
        Duration startDeadline,
        Integer pauseOnFailure,
        List<Upstream> after,
        // "notify" is Object's: the Java name differs, the JSON name does not
        @JsonProperty("notify") Notify notifications) {

    public JobDefinition {
        Objects.requireNonNull(jobId, "jobId");
        retry = retry == null ? RetryPolicy.NONE : retry;
        after = after == null ? List.of() : List.copyOf(after);
    }

    /** A definition built by name; {@code enabled} defaults to true, everything else to null or false. */
    public static Builder builder(String jobId) {
        return new Builder().jobId(jobId);
    }

    /** A copy with the changes {@code edit} makes to a builder that starts from this definition. */
    public JobDefinition with(Consumer<Builder> edit) {
        Builder builder = new Builder(this);
        edit.accept(builder);
        return builder.build();
    }

    /** This definition kept but never fired, with {@code error} saying why (for the API and the logs). */
    public JobDefinition invalid(String why) {
        return with(b -> b.valid(false).error(why));
    }

    /**
     * A pause (DESIGN §4): no fire before {@code until}; without {@code until} the job stays paused until resumed.
     * Null on a definition means not paused.
     */
    public record Pause(Instant until, String note, String by) {
    }

    /** The fields that decide fire times: the series and its window (startAt, endAt, maxRuns), and a pause's end. */
    public record Timing(ScheduleType scheduleType, String cron, CronDialect cronType, Duration interval,
            Instant runAt, String timeZone, Instant startAt, Instant endAt, Long maxRuns, Instant pausedUntil) {
    }

    public Timing timing() {
        return new Timing(scheduleType, cron, cronType, interval, runAt, timeZone, startAt, endAt, maxRuns,
                pause == null ? null : pause.until());
    }

    /**
     * Whether both define the same series of times, whatever their windows: only startAt, endAt, maxRuns or a
     * pause differ (an interval counts from its startAt, so for an interval startAt is part of the series).
     */
    public boolean sameSeries(JobDefinition other) {
        return scheduleType == other.scheduleType && Objects.equals(cron, other.cron) && cronType == other.cronType
                && Objects.equals(interval, other.interval) && Objects.equals(runAt, other.runAt)
                && Objects.equals(timeZone, other.timeZone)
                && (scheduleType != ScheduleType.INTERVAL || Objects.equals(startAt, other.startAt));
    }

    /** Whether the ticker should keep a next fire time for this job. */
    public boolean firesOnSchedule() {
        return valid && enabled && scheduleType != ScheduleType.MANUAL && !pausedIndefinitely();
    }

    /** Paused without an end: no fire until an admin resumes it. */
    public boolean pausedIndefinitely() {
        return pause != null && pause.until() == null;
    }

    /**
     * The compiled schedule. Only meaningful for a valid definition; {@code intervalAnchor} is
     * where an interval without {@code startAt} counts from (when the job was first seen).
     */
    public JobSchedule schedule(Instant intervalAnchor) {
        if (!valid) {
            throw new IllegalStateException("job " + jobId + " is invalid: " + error);
        }
        Schedule schedule = switch (scheduleType) {
            case CRON -> CronSchedule.parse(cron, cronType, ZoneId.of(timeZone));
            case INTERVAL -> new IntervalSchedule(interval, startAt != null ? startAt : intervalAnchor);
            case ONCE -> new OnceSchedule(runAt);
            case MANUAL -> new ManualSchedule();
        };
        // A pause with an end is a later start: nothing fires before it, and the job resumes by itself after it.
        Instant pausedUntil = pause == null ? null : pause.until();
        Instant firstAllowed = pausedUntil != null && (startAt == null || pausedUntil.isAfter(startAt))
                ? pausedUntil : startAt;
        return new JobSchedule(schedule, firstAllowed, endAt, maxRuns);
    }

    /** Every field by name. */
    public static final class Builder {
        private String jobId;
        private String name;
        private String jobType;
        private ScheduleType scheduleType;
        private String cron;
        private CronDialect cronType;
        private Duration interval;
        private Instant runAt;
        private String timeZone;
        private boolean enabled = true;
        private JsonNode payload;
        private Instant startAt;
        private Instant endAt;
        private Long maxRuns;
        private MisfirePolicy misfirePolicy;
        private Duration catchupWindow;
        private OverlapPolicy overlapPolicy;
        private Duration stuckAfter;
        private Duration failAfter;
        private boolean valid;
        private String error;
        private String description;
        private Pause pause;
        private Long version;
        private String updatedBy;
        private RetryPolicy retry;
        private Duration runTimeout;
        private Duration startDeadline;
        private Integer pauseOnFailure;
        private List<Upstream> after;
        private Notify notifications;

        private Builder() {
        }

        private Builder(JobDefinition from) {
            jobId = from.jobId;
            name = from.name;
            jobType = from.jobType;
            scheduleType = from.scheduleType;
            cron = from.cron;
            cronType = from.cronType;
            interval = from.interval;
            runAt = from.runAt;
            timeZone = from.timeZone;
            enabled = from.enabled;
            payload = from.payload;
            startAt = from.startAt;
            endAt = from.endAt;
            maxRuns = from.maxRuns;
            misfirePolicy = from.misfirePolicy;
            catchupWindow = from.catchupWindow;
            overlapPolicy = from.overlapPolicy;
            stuckAfter = from.stuckAfter;
            failAfter = from.failAfter;
            valid = from.valid;
            error = from.error;
            description = from.description;
            pause = from.pause;
            version = from.version;
            updatedBy = from.updatedBy;
            retry = from.retry;
            runTimeout = from.runTimeout;
            startDeadline = from.startDeadline;
            pauseOnFailure = from.pauseOnFailure;
            after = from.after;
            notifications = from.notifications;
        }

        public Builder jobId(String value) {
            jobId = value;
            return this;
        }

        public Builder name(String value) {
            name = value;
            return this;
        }

        public Builder jobType(String value) {
            jobType = value;
            return this;
        }

        public Builder scheduleType(ScheduleType value) {
            scheduleType = value;
            return this;
        }

        public Builder cron(String value) {
            cron = value;
            return this;
        }

        public Builder cronType(CronDialect value) {
            cronType = value;
            return this;
        }

        public Builder interval(Duration value) {
            interval = value;
            return this;
        }

        public Builder runAt(Instant value) {
            runAt = value;
            return this;
        }

        public Builder timeZone(String value) {
            timeZone = value;
            return this;
        }

        public Builder enabled(boolean value) {
            enabled = value;
            return this;
        }

        public Builder payload(JsonNode value) {
            payload = value;
            return this;
        }

        public Builder startAt(Instant value) {
            startAt = value;
            return this;
        }

        public Builder endAt(Instant value) {
            endAt = value;
            return this;
        }

        public Builder maxRuns(Long value) {
            maxRuns = value;
            return this;
        }

        public Builder misfirePolicy(MisfirePolicy value) {
            misfirePolicy = value;
            return this;
        }

        public Builder catchupWindow(Duration value) {
            catchupWindow = value;
            return this;
        }

        public Builder overlapPolicy(OverlapPolicy value) {
            overlapPolicy = value;
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

        public Builder valid(boolean value) {
            valid = value;
            return this;
        }

        public Builder error(String value) {
            error = value;
            return this;
        }

        public Builder description(String value) {
            description = value;
            return this;
        }

        public Builder pause(Pause value) {
            pause = value;
            return this;
        }

        public Builder version(Long value) {
            version = value;
            return this;
        }

        public Builder updatedBy(String value) {
            updatedBy = value;
            return this;
        }

        public Builder retry(RetryPolicy value) {
            retry = value;
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

        public Builder pauseOnFailure(Integer value) {
            pauseOnFailure = value;
            return this;
        }

        public Builder after(List<Upstream> value) {
            after = value;
            return this;
        }

        public Builder notifications(Notify value) {
            notifications = value;
            return this;
        }

        public JobDefinition build() {
            return new JobDefinition(jobId, name, jobType, scheduleType, cron, cronType, interval, runAt, timeZone,
                    enabled, payload, startAt, endAt, maxRuns, misfirePolicy, catchupWindow, overlapPolicy, stuckAfter,
                    failAfter, valid, error, description, pause, version, updatedBy, retry, runTimeout, startDeadline, pauseOnFailure,
                    after, notifications);
        }
    }
}
