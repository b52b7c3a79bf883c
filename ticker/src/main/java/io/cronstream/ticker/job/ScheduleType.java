package io.cronstream.ticker.job;

/** How a job's fire times are given. */
public enum ScheduleType {
    CRON, INTERVAL, ONCE, MANUAL
}
