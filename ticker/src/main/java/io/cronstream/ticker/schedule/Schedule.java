package io.cronstream.ticker.schedule;

import java.time.Instant;
import java.util.Optional;

/** When a job fires, ignoring its window. Immutable and thread-safe. */
public sealed interface Schedule permits CronSchedule, IntervalSchedule, OnceSchedule, ManualSchedule {

    /** The first fire time strictly after {@code after}, or empty if there is none. */
    Optional<Instant> nextAfter(Instant after);

    /**
     * A recurring schedule is registered from "now": fire times before registration are not
     * owed. A one-off time is owed even if it passed moments before the ticker saw the job, so it
     * goes through the misfire policy instead.
     */
    boolean recurring();

    /** Human-readable, for logs and the API. */
    String describe();
}
