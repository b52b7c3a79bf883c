package io.cronstream.ticker.job;

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
import java.util.Objects;

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
        String updatedBy) {

    public JobDefinition {
        Objects.requireNonNull(jobId, "jobId");
    }

    /**
     * A pause (DESIGN §4): no fire before {@code until}; without {@code until} the job stays paused until resumed.
     * Null on a definition means not paused.
     */
    public record Pause(Instant until, String note, String by) {
    }

    /** The fields that decide fire times: a change to any of them reschedules the job from now. */
    public record Timing(ScheduleType scheduleType, String cron, CronDialect cronType, Duration interval,
            Instant runAt, String timeZone, Instant startAt, Instant endAt, Long maxRuns, Instant pausedUntil) {
    }

    public Timing timing() {
        return new Timing(scheduleType, cron, cronType, interval, runAt, timeZone, startAt, endAt, maxRuns,
                pause == null ? null : pause.until());
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
}
