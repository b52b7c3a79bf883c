package io.cronstream.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.cronstream.ticker.JobState;
import io.cronstream.ticker.job.JobDefinition;
import io.cronstream.ticker.job.MisfirePolicy;
import io.cronstream.ticker.job.OverlapPolicy;
import io.cronstream.ticker.job.ScheduleType;
import io.cronstream.ticker.schedule.CronDialect;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A job as the API shows it (DESIGN §7): its definition, whether it is valid, and where its schedule stands. */
public record JobView(
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
        boolean valid,
        String error,
        String description,
        JsonNode payload,
        Instant nextFireAt,
        Instant lastFiredAt,
        long fireCount,
        MisfirePolicy misfirePolicy,
        Duration catchupWindow,
        OverlapPolicy overlapPolicy,
        Duration stuckAfter,
        Duration failAfter,
        Instant startAt,
        Instant endAt,
        Long maxRuns,
        Instant firstSeenAt,
        Instant updatedAt,
        Instant lastTriggeredAt,
        String activeRunId,
        Instant pausedUntil,
        String pauseNote,
        String pausedBy,
        boolean paused,
        Long version,
        String updatedBy) {

    public static JobView of(JobState state) {
        JobDefinition d = state.definition();
        JobDefinition.Pause pause = d.pause();
        return builder(d.jobId())
                .name(d.name())
                .jobType(d.jobType())
                .scheduleType(d.scheduleType())
                .cron(d.cron())
                .cronType(d.cronType())
                .interval(d.interval())
                .runAt(d.runAt())
                .timeZone(d.timeZone())
                .enabled(d.enabled())
                .valid(d.valid())
                .error(d.error())
                .description(d.description())
                .payload(d.payload())
                .nextFireAt(state.nextFireAt())
                .lastFiredAt(state.lastFiredAt())
                .fireCount(state.fireCount())
                .misfirePolicy(d.misfirePolicy())
                .catchupWindow(d.catchupWindow())
                .overlapPolicy(d.overlapPolicy())
                .stuckAfter(d.stuckAfter())
                .failAfter(d.failAfter())
                .startAt(d.startAt())
                .endAt(d.endAt())
                .maxRuns(d.maxRuns())
                .firstSeenAt(state.firstSeenAt())
                .updatedAt(state.updatedAt())
                .lastTriggeredAt(state.lastTriggeredAt())
                .activeRunId(state.activeRunId())
                .pausedUntil(pause == null ? null : pause.until())
                .pauseNote(pause == null ? null : pause.note())
                .pausedBy(pause == null ? null : pause.by())
                .paused(paused(d, Instant.now()))
                .version(d.version())
                .updatedBy(d.updatedBy())
                .build();
    }

    /** A view built by name: every field not set is null, false or 0. */
    public static Builder builder(String jobId) {
        return new Builder().jobId(jobId);
    }

    /** Paused now: until resumed, or until a {@code pausedUntil} still ahead. */
    private static boolean paused(JobDefinition d, Instant now) {
        return d.pause() != null && (d.pause().until() == null || d.pause().until().isAfter(now));
    }

    /**
     * The next {@code count} fire times, chained exactly as the ticker chains them from its pending
     * next fire; none for Manual, disabled, invalid or finished jobs.
     */
    public static List<Instant> nextFires(JobState state, int count) {
        JobDefinition definition = state.definition();
        if (!definition.firesOnSchedule() || state.nextFireAt() == null) {
            return List.of();
        }
        return definition.schedule(state.firstSeenAt()).upcoming(state.nextFireAt(), state.fireCount(), count);
    }

    /** {@code GET /api/v1/jobs/{jobId}/next}. */
    public record Next(String jobId, List<Instant> next) {
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
        private boolean enabled;
        private boolean valid;
        private String error;
        private String description;
        private JsonNode payload;
        private Instant nextFireAt;
        private Instant lastFiredAt;
        private long fireCount;
        private MisfirePolicy misfirePolicy;
        private Duration catchupWindow;
        private OverlapPolicy overlapPolicy;
        private Duration stuckAfter;
        private Duration failAfter;
        private Instant startAt;
        private Instant endAt;
        private Long maxRuns;
        private Instant firstSeenAt;
        private Instant updatedAt;
        private Instant lastTriggeredAt;
        private String activeRunId;
        private Instant pausedUntil;
        private String pauseNote;
        private String pausedBy;
        private boolean paused;
        private Long version;
        private String updatedBy;

        private Builder() {
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

        public Builder payload(JsonNode value) {
            payload = value;
            return this;
        }

        public Builder nextFireAt(Instant value) {
            nextFireAt = value;
            return this;
        }

        public Builder lastFiredAt(Instant value) {
            lastFiredAt = value;
            return this;
        }

        public Builder fireCount(long value) {
            fireCount = value;
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

        public Builder firstSeenAt(Instant value) {
            firstSeenAt = value;
            return this;
        }

        public Builder updatedAt(Instant value) {
            updatedAt = value;
            return this;
        }

        public Builder lastTriggeredAt(Instant value) {
            lastTriggeredAt = value;
            return this;
        }

        public Builder activeRunId(String value) {
            activeRunId = value;
            return this;
        }

        public Builder pausedUntil(Instant value) {
            pausedUntil = value;
            return this;
        }

        public Builder pauseNote(String value) {
            pauseNote = value;
            return this;
        }

        public Builder pausedBy(String value) {
            pausedBy = value;
            return this;
        }

        public Builder paused(boolean value) {
            paused = value;
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

        public JobView build() {
            return new JobView(jobId, name, jobType, scheduleType, cron, cronType, interval, runAt, timeZone, enabled,
                    valid, error, description, payload, nextFireAt, lastFiredAt, fireCount, misfirePolicy,
                    catchupWindow, overlapPolicy, stuckAfter, failAfter, startAt, endAt, maxRuns, firstSeenAt,
                    updatedAt, lastTriggeredAt, activeRunId, pausedUntil, pauseNote, pausedBy, paused, version,
                    updatedBy);
        }
    }
}
