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
        String description) {

    public JobDefinition {
        Objects.requireNonNull(jobId, "jobId");
    }

    /** This definition kept but never fired, with {@code error} saying why (for the API and the logs). */
    public JobDefinition invalid(String why) {
        return new JobDefinition(jobId, name, jobType, scheduleType, cron, cronType, interval, runAt, timeZone, enabled,
                payload, startAt, endAt, maxRuns, misfirePolicy, catchupWindow, overlapPolicy, stuckAfter, failAfter,
                false, why, description);
    }

    /** The fields that decide fire times: the series and its window (startAt, endAt, maxRuns). */
    public record Timing(ScheduleType scheduleType, String cron, CronDialect cronType, Duration interval,
            Instant runAt, String timeZone, Instant startAt, Instant endAt, Long maxRuns) {
    }

    public Timing timing() {
        return new Timing(scheduleType, cron, cronType, interval, runAt, timeZone, startAt, endAt, maxRuns);
    }

    /**
     * Whether both define the same series of times, whatever their windows: only startAt, endAt or maxRuns
     * differ (an interval counts from its startAt, so for an interval startAt is part of the series).
     */
    public boolean sameSeries(JobDefinition other) {
        return scheduleType == other.scheduleType && Objects.equals(cron, other.cron) && cronType == other.cronType
                && Objects.equals(interval, other.interval) && Objects.equals(runAt, other.runAt)
                && Objects.equals(timeZone, other.timeZone)
                && (scheduleType != ScheduleType.INTERVAL || Objects.equals(startAt, other.startAt));
    }

    /** Whether the ticker should keep a next fire time for this job. */
    public boolean firesOnSchedule() {
        return valid && enabled && scheduleType != ScheduleType.MANUAL;
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
        return new JobSchedule(schedule, startAt, endAt, maxRuns);
    }
}
