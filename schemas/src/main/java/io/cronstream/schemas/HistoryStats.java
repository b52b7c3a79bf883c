package io.cronstream.schemas;

import java.time.Instant;

/**
 * Stats over the runs a history keeps ({@code runs}, {@code succeeded}, {@code failed},
 * {@code successRate} = succeeded / finished, {@code avgDurationMs} over finished runs), except
 * {@code lastSuccessAt} / {@code lastFailureAt}, which remember the latest ever even after the run
 * itself has aged out of the history.
 */
public record HistoryStats(
        int runs,
        int succeeded,
        int failed,
        Double successRate,
        Long avgDurationMs,
        Instant lastSuccessAt,
        Instant lastFailureAt) {
}
