package io.cronstream.ticker.schedule;

import com.cronutils.model.CronType;

/** The cron syntaxes a job may use (DESIGN §4). */
public enum CronDialect {
    /** 5 fields: minute hour day-of-month month day-of-week. */
    UNIX(CronType.UNIX, 5, 5),
    /** 6 fields, seconds first, Spring 5.3 syntax including ?, L, W and #. */
    SPRING(CronType.SPRING53, 6, 6),
    /** 6 or 7 fields: seconds first, optional year; ? in day-of-month or day-of-week. */
    QUARTZ(CronType.QUARTZ, 6, 7);

    final CronType cronType;
    final int minFields;
    final int maxFields;

    CronDialect(CronType cronType, int minFields, int maxFields) {
        this.cronType = cronType;
        this.minFields = minFields;
        this.maxFields = maxFields;
    }

    static CronDialect forFieldCount(int fields) {
        return switch (fields) {
            case 5 -> UNIX;
            case 6 -> SPRING;
            case 7 -> QUARTZ;
            default -> null;
        };
    }

    String fieldCountText() {
        return minFields == maxFields ? Integer.toString(minFields) : minFields + " or " + maxFields;
    }
}
