package io.cronstream.schemas;

import java.time.Duration;
import java.time.Instant;

/**
 * The times Cronstream works with: from 1970 to the end of 2099, the range of its cron library. An
 * event time or a fire time outside it is a producer's bug (a clock in year 9999, epoch millis read
 * as seconds), and far enough out it would overflow the epoch milliseconds that run ids and the
 * stores' sort keys are made of.
 */
public final class Times {

    public static final Instant EARLIEST = Instant.EPOCH;
    /** The last instant Cronstream schedules or accepts as an event time. */
    public static final Instant LATEST = Instant.parse("2099-12-31T23:59:59.999Z");
    /** Said in every refusal. */
    public static final String RANGE = "between 1970-01-01 and 2099-12-31";

    /**
     * How far after Cronstream's clock a producer's event time may lie when it is read. Clocks drift a little; an hour
     * ahead is a wrong clock (or a local time sent as UTC), and such a time would pin every "latest" it takes part
     * in (a library's {@code lastChangeAt}) until the real clock caught up.
     */
    public static final Duration MAX_AHEAD = Duration.ofHours(1);

    private Times() {
    }

    /** Why {@code time} ({@code field}) cannot be taken when Cronstream's clock says {@code now}, or null. */
    public static String aheadProblem(Instant time, String field, Instant now) {
        return time.isAfter(now.plus(MAX_AHEAD)) ? field + " " + time + " is more than " + MAX_AHEAD
                + " after Cronstream's clock (" + now + "): the producer's clock runs ahead" : null;
    }

    public static boolean supported(Instant time) {
        return !time.isBefore(EARLIEST) && !time.isAfter(LATEST);
    }
}
