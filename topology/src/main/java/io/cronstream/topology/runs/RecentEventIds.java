package io.cronstream.topology.runs;

import java.util.ArrayList;
import java.util.List;

/**
 * The value of {@code progress-run-event-ids}: the last few eventIds a run has counted, oldest first,
 * enough to drop a redelivered event while staying small per run.
 */
public record RecentEventIds(List<String> ids) {

    public RecentEventIds {
        ids = List.copyOf(ids);
    }

    static RecentEventIds none() {
        return new RecentEventIds(List.of());
    }

    boolean contains(String eventId) {
        return ids.contains(eventId);
    }

    RecentEventIds plus(String eventId, int keep) {
        List<String> next = new ArrayList<>(ids);
        next.add(eventId);
        return new RecentEventIds(next.subList(Math.max(0, next.size() - keep), next.size()));
    }
}
