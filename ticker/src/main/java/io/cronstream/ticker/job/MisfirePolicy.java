package io.cronstream.ticker.job;

/** What to do with fire times that passed while nothing ran (within the job's catch-up window). */
public enum MisfirePolicy {
    /** One CATCHUP event for the latest missed time. */
    FIRE_ONCE,
    /** No event for missed times. */
    SKIP,
    /** One CATCHUP event per missed time. */
    FIRE_ALL
}
