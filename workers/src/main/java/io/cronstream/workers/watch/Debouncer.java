package io.cronstream.workers.watch;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Collects touched paths until they settle. Paths are released together once the whole library has been
 * quiet for the quiet period, so a burst of writes to one file is looked at once, and the delete and
 * create of a move land in the same batch (where they can be paired into a rename). Under activity that
 * never pauses, paths that have been waiting for {@code maxWait} are released anyway, each as soon as it
 * has itself been quiet for the quiet period: a file still being written is never cut short.
 *
 * <p>Pure: time is passed in, so it is tested without waiting.
 */
final class Debouncer {

    private record Pending(Instant firstTouch, Instant lastTouch) {
    }

    private final Duration quiet;
    private final Duration maxWait;
    private final Map<String, Pending> pending = new HashMap<>();
    private Instant latestTouch;

    Debouncer(Duration quiet, Duration maxWait) {
        if (quiet.isNegative() || maxWait.compareTo(quiet) < 0) {
            throw new IllegalArgumentException("need 0 <= quiet period <= max wait, got " + quiet + " and " + maxWait);
        }
        this.quiet = quiet;
        this.maxWait = maxWait;
    }

    void touch(String path, Instant now) {
        pending.merge(path, new Pending(now, now), (was, touch) -> new Pending(was.firstTouch(), now));
        latestTouch = latestTouch == null || now.isAfter(latestTouch) ? now : latestTouch;
    }

    /** The paths that have settled at {@code now}, sorted; they are no longer pending. */
    Set<String> release(Instant now) {
        Set<String> released = new TreeSet<>();
        if (pending.isEmpty()) {
            return released;
        }
        boolean libraryQuiet = !now.isBefore(latestTouch.plus(quiet));
        if (!libraryQuiet && now.isBefore(oldestFirstTouch().plus(maxWait))) {
            return released;
        }
        for (Iterator<Map.Entry<String, Pending>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Pending> entry = it.next();
            if (libraryQuiet || !now.isBefore(entry.getValue().lastTouch().plus(quiet))) {
                released.add(entry.getKey());
                it.remove();
            }
        }
        return released;
    }

    /** When {@link #release} will next have something to give, if anything is pending. */
    Optional<Instant> nextRelease() {
        if (pending.isEmpty()) {
            return Optional.empty();
        }
        Instant whenQuiet = latestTouch.plus(quiet);
        Instant firstSettled = pending.values().stream().map(Pending::lastTouch).min(Instant::compareTo)
                .orElseThrow().plus(quiet);
        Instant forced = oldestFirstTouch().plus(maxWait);
        Instant cut = forced.isAfter(firstSettled) ? forced : firstSettled;
        return Optional.of(cut.isBefore(whenQuiet) ? cut : whenQuiet);
    }

    int size() {
        return pending.size();
    }

    private Instant oldestFirstTouch() {
        return pending.values().stream().map(Pending::firstTouch).min(Instant::compareTo).orElseThrow();
    }
}
