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
        return new JobView(d.jobId(), d.name(), d.jobType(), d.scheduleType(), d.cron(), d.cronType(), d.interval(),
                d.runAt(), d.timeZone(), d.enabled(), d.valid(), d.error(), d.description(), d.payload(),
                state.nextFireAt(), state.lastFiredAt(), state.fireCount(), d.misfirePolicy(), d.catchupWindow(),
                d.overlapPolicy(), d.stuckAfter(), d.failAfter(), d.startAt(), d.endAt(), d.maxRuns(),
                state.firstSeenAt(), state.updatedAt(), state.lastTriggeredAt(), state.activeRunId(),
                d.pause() == null ? null : d.pause().until(), d.pause() == null ? null : d.pause().note(),
                d.pause() == null ? null : d.pause().by(), paused(d, Instant.now()), d.version(), d.updatedBy());
    }

    /** Paused now: until resumed, or until a {@code pausedUntil} still ahead. */
    static boolean paused(JobDefinition d, Instant now) {
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
}
