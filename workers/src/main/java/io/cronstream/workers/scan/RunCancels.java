package io.cronstream.workers.scan;

import io.cronstream.schemas.RunControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The CANCELs this worker has heard of, by runId. A run asks between items whether it was cancelled; a cancel
 * for a run nobody here is working on is only remembered for a while, so that a run whose cancel overtook its
 * due event (a TIMED_OUT run redelivered, a slow worker) is not started at all. Bounded in time and in size:
 * a cancel matters only around the time its run would be worked on.
 */
final class RunCancels {

    static final Duration MEMORY = Duration.ofMinutes(15);
    static final int MAX_REMEMBERED = 10_000;

    private final Clock clock;
    private final Map<String, Remembered> byRunId = new LinkedHashMap<>();

    private record Remembered(String reason, Instant receivedAt) {
    }

    RunCancels(Clock clock) {
        this.clock = clock;
    }

    synchronized void cancel(RunControl control) {
        if (control.type() != RunControl.Type.CANCEL) {
            return;
        }
        forgetOld();
        String reason = control.reason() == null || control.reason().isBlank() ? "no reason given" : control.reason();
        byRunId.remove(control.runId());
        byRunId.put(control.runId(), new Remembered(reason, clock.instant()));
        if (byRunId.size() > MAX_REMEMBERED) {
            Iterator<String> oldest = byRunId.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /** The reason the run was cancelled for, if a CANCEL for it arrived lately. */
    synchronized Optional<String> reasonFor(String runId) {
        forgetOld();
        return Optional.ofNullable(byRunId.get(runId)).map(Remembered::reason);
    }

    /** Throws when the run was cancelled: called between items, so a run stops promptly but never mid-file. */
    void check(String runId) {
        Optional<String> reason = reasonFor(runId);
        if (reason.isPresent()) {
            throw new RunCancelledException(reason.get());
        }
    }

    /** Entries are in arrival order, so the old ones are at the front. */
    private void forgetOld() {
        Instant horizon = clock.instant().minus(MEMORY);
        Iterator<Remembered> entries = byRunId.values().iterator();
        while (entries.hasNext() && entries.next().receivedAt().isBefore(horizon)) {
            entries.remove();
        }
    }
}
