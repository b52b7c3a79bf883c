package io.cronstream.topology.runs;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Items to add to stage totals of a run, because something outside the run's workers found work for it.
 *
 * @param eventId the file change's eventId: the run adds the work of each id once
 */
public record RunWork(String runId, Map<String, Long> addedTotals, String cause, Instant at, String eventId) {

    public RunWork {
        Objects.requireNonNull(runId, "runId");
        // in the order given: a run shows its stages in the order they first appeared
        addedTotals = Collections.unmodifiableMap(new LinkedHashMap<>(addedTotals));
        Objects.requireNonNull(at, "at");
    }
}
