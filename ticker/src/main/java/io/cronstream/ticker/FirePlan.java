package io.cronstream.ticker;

import io.cronstream.schemas.Trigger;
import io.cronstream.ticker.job.MisfirePolicy;
import io.cronstream.ticker.schedule.JobSchedule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Which fire times of one job to emit now, and where its schedule goes next (DESIGN §5).
 *
 * <p>Every due time up to now is dealt with, chained from the stored next fire time. A time no
 * later than the misfire threshold is on time and fires as SCHEDULE. Older times are missed:
 * those outside the catch-up window are dropped; within it {@code FIRE_ALL} emits each as
 * CATCHUP (the newest {@code maxCatchup}), {@code FIRE_ONCE} emits one CATCHUP for the latest
 * (none if an on-time fire already covers them), {@code SKIP} emits none.
 *
 * <p>The cost is bounded by what is emitted, never by the length of the downtime: times that are
 * not emitted are jumped over (the latest of them is found by bisection, O(log window)), and at
 * most {@code maxFires} times are emitted; when more are due, {@code next} is the first of them
 * (in the past), so the job stays due and the next punctuation resumes exactly there.
 *
 * @param fires          what to emit, oldest first
 * @param missedSkipped  due times not emitted (dropped, skipped, absorbed, blocked or over maxRuns); counted
 *                       exactly up to {@value #COUNT_WALK} times per plan, extrapolated beyond
 * @param overlapSkipped due times not emitted because the one run a {@code oneRun} plan fires is active then
 *                       (overlap SKIP), counted as {@code missedSkipped} is
 * @param lastConsidered the latest due time dealt with (fired or not)
 * @param next           the next fire time (in the past when the plan stopped at {@code maxFires}), or null if
 *                       the job has no more
 */
public record FirePlan(List<Fire> fires, long missedSkipped, long overlapSkipped, Instant lastConsidered,
        Instant next) {

    /** Skipped times are counted for metrics and logs only: past this many, the count is extrapolated. */
    static final int COUNT_WALK = 256;

    public record Fire(Instant scheduledFor, Trigger trigger) {
    }

    /** A plan for one job, asked by name: {@code FirePlan.request().schedule(s).firstDue(t)...plan()}. */
    public static Request request() {
        return new Request();
    }

    /** A job's fire times as a plan reads them ({@link JobSchedule#nextAfter}); tests count the reads. */
    interface Timeline {
        Optional<Instant> nextAfter(Instant after, long firesSoFar);
    }

    /**
     * What a plan is asked. Built by name, so the two durations and the two counts cannot be swapped.
     * {@code blocked}: the previous run is still active under overlap policy SKIP, so every due time is dealt
     * with but none is emitted; {@code oneRun}: overlap SKIP, so of the times due now only the first fires and
     * every later one finds its run active; {@code maxFires}: at most this many fires (at least 1), the rest wait
     * for the next punctuation.
     */
    public static final class Request {
        private Timeline timeline;
        private Long maxRuns;
        private Instant firstDue;
        private long firesSoFar;
        private MisfirePolicy misfirePolicy = MisfirePolicy.FIRE_ONCE;
        private Duration catchupWindow = Duration.ZERO;
        private Duration misfireThreshold = Duration.ZERO;
        private int maxCatchup = Integer.MAX_VALUE;
        private boolean blocked;
        private boolean oneRun;
        private Instant now;
        private int maxFires = Integer.MAX_VALUE;

        private Request() {
        }

        public Request schedule(JobSchedule schedule) {
            return timeline(schedule::nextAfter, schedule.maxRuns());
        }

        Request timeline(Timeline value, Long runsAtMost) {
            timeline = value;
            maxRuns = runsAtMost;
            return this;
        }

        public Request firstDue(Instant value) {
            firstDue = value;
            return this;
        }

        public Request firesSoFar(long value) {
            firesSoFar = value;
            return this;
        }

        public Request misfirePolicy(MisfirePolicy value) {
            misfirePolicy = value;
            return this;
        }

        public Request catchupWindow(Duration value) {
            catchupWindow = value;
            return this;
        }

        public Request misfireThreshold(Duration value) {
            misfireThreshold = value;
            return this;
        }

        public Request maxCatchup(int value) {
            maxCatchup = value;
            return this;
        }

        public Request blocked(boolean value) {
            blocked = value;
            return this;
        }

        public Request oneRun(boolean value) {
            oneRun = value;
            return this;
        }

        public Request now(Instant value) {
            now = value;
            return this;
        }

        public Request maxFires(int value) {
            maxFires = value;
            return this;
        }

        public FirePlan plan() {
            return FirePlan.plan(timeline, maxRuns, firstDue, firesSoFar, misfirePolicy, catchupWindow,
                    misfireThreshold, maxCatchup, blocked, oneRun, now, maxFires);
        }
    }

    private static FirePlan plan(Timeline schedule, Long maxRuns, Instant firstDue, long firesSoFar, MisfirePolicy policy,
            Duration catchupWindow, Duration misfireThreshold, int maxCatchup, boolean blocked, boolean oneRun,
            Instant now, int fireLimit) {
        int maxFires = oneRun ? 1 : fireLimit;
        Walk walk = new Walk(schedule, firesSoFar);
        Instant windowStart = now.minus(catchupWindow);
        Instant onTimeStart = now.minus(misfireThreshold);
        long skipped = 0;
        Instant t = firstDue;
        Instant lastConsidered = firstDue;
        Instant chainBase = firstDue;
        if (t.isBefore(windowStart)) {
            // Times before the window are owed nothing: jump instead of walking a long downtime.
            skipped++;
            chainBase = windowStart.minusNanos(1);
            t = walk.next(chainBase);
        }
        if (t == null || t.isAfter(now)) {
            return new FirePlan(List.of(), skipped, 0, lastConsidered,
                    schedule.nextAfter(chainBase, firesSoFar).orElse(null));
        }
        if (blocked) {
            Instant last = walk.latestUpTo(t, now);
            skipped += walk.count(t, last);
            return new FirePlan(List.of(), skipped, 0, last, walk.next(last));
        }

        List<Fire> fires = new ArrayList<>();
        if (t.isBefore(onTimeStart)) {
            Instant lastMissed = walk.latestUpTo(t, onTimeStart.minusNanos(1));
            switch (policy) {
                case FIRE_ALL -> {
                    Instant first = walk.firstOfNewest(t, lastMissed, maxCatchup);
                    if (!first.equals(t)) {
                        skipped += walk.count(t, first) - 1;
                        t = first;
                    }
                    while (t != null && t.isBefore(onTimeStart) && fires.size() < maxFires) {
                        fires.add(new Fire(t, Trigger.CATCHUP));
                        lastConsidered = t;
                        t = walk.next(t);
                    }
                }
                case FIRE_ONCE -> {
                    Instant onTime = walk.next(lastMissed);
                    boolean covered = onTime != null && !onTime.isAfter(now);
                    skipped += walk.count(t, lastMissed) - (covered ? 0 : 1);
                    if (!covered) {
                        fires.add(new Fire(lastMissed, Trigger.CATCHUP));
                    }
                    lastConsidered = lastMissed;
                    t = onTime;
                }
                case SKIP -> {
                    skipped += walk.count(t, lastMissed);
                    lastConsidered = lastMissed;
                    t = walk.next(lastMissed);
                }
            }
        }
        while (t != null && !t.isAfter(now) && fires.size() < maxFires) {
            fires.add(new Fire(t, Trigger.SCHEDULE));
            lastConsidered = t;
            t = walk.next(t);
        }

        List<Fire> allowed = limitToMaxRuns(fires, maxRuns, firesSoFar);
        skipped += fires.size() - allowed.size();
        boolean resume = allowed.size() == fires.size() && t != null && !t.isAfter(now);
        if (resume && oneRun) {
            // the run just planned is active at every later time due now: those are skipped, not left due
            Instant last = walk.latestUpTo(t, now);
            return new FirePlan(List.copyOf(allowed), skipped, walk.count(t, last), last,
                    schedule.nextAfter(last, firesSoFar + allowed.size()).orElse(null));
        }
        Instant next = resume ? t : schedule.nextAfter(lastConsidered, firesSoFar + allowed.size()).orElse(null);
        return new FirePlan(List.copyOf(allowed), skipped, 0, lastConsidered, next);
    }

    /**
     * The first {@code count} fires, for a punctuation that ran out of time: the job resumes at the first
     * fire left out.
     */
    FirePlan firstFires(int count) {
        if (count >= fires.size() || count < 1) {
            return this;
        }
        return new FirePlan(fires.subList(0, count), missedSkipped, overlapSkipped, fires.get(count - 1).scheduledFor(),
                fires.get(count).scheduledFor());
    }

    private static List<Fire> limitToMaxRuns(List<Fire> fires, Long maxRuns, long firesSoFar) {
        if (maxRuns == null) {
            return fires;
        }
        long left = Math.max(0, maxRuns - firesSoFar);
        return left >= fires.size() ? fires : fires.subList(0, (int) left);
    }

    /** Moves along one job's schedule without walking more of it than needed. */
    private record Walk(Timeline schedule, long firesSoFar) {

        Instant next(Instant after) {
            return schedule.nextAfter(after, firesSoFar).orElse(null);
        }

        /**
         * The latest fire at or before {@code limit}, given {@code known}, a fire no later than it. The first fire
         * after a time never moves back as the time grows, so bisection finds it: O(log window), not O(window).
         */
        Instant latestUpTo(Instant known, Instant limit) {
            Instant following = next(known);
            if (following == null || following.isAfter(limit)) {
                return known;
            }
            Instant low = known; // invariant: next(low) <= limit < next(high)
            Instant high = limit;
            while (Duration.between(low, high).toNanos() > 1) {
                Instant middle = low.plus(Duration.between(low, high).dividedBy(2));
                Instant fire = next(middle);
                if (fire != null && !fire.isAfter(limit)) {
                    low = middle;
                } else {
                    high = middle;
                }
            }
            return next(low);
        }

        /** Fires from {@code first} to {@code last}, both included: exact up to {@value #COUNT_WALK}, then extrapolated. */
        long count(Instant first, Instant last) {
            long counted = 1;
            Instant t = first;
            while (t.isBefore(last)) {
                if (counted == COUNT_WALK) {
                    double perNano = (double) (counted - 1) / Duration.between(first, t).toNanos();
                    return counted + Math.round(perNano * Duration.between(t, last).toNanos());
                }
                Instant following = next(t);
                if (following == null || following.isAfter(last)) {
                    break;
                }
                t = following;
                counted++;
            }
            return counted;
        }

        /**
         * The oldest of the newest {@code keep} fires from {@code first} to {@code last}. Looks back from
         * {@code last} over a span that doubles until it holds more than {@code keep} fires, so a regular
         * schedule costs O(keep), not O(window).
         */
        Instant firstOfNewest(Instant first, Instant last, int keep) {
            if (walkUpTo(first, last, keep + 1).size() <= keep) {
                return first;
            }
            Duration span = Duration.ofSeconds(1);
            while (true) {
                Instant from = last.minus(span);
                if (!from.isAfter(first)) {
                    from = first;
                }
                Instant start = from.equals(first) ? first : next(from.minusNanos(1));
                if (from.equals(first) || walkUpTo(start, last, keep + 1).size() > keep) {
                    Deque<Instant> newest = new ArrayDeque<>();
                    for (Instant t = start; t != null && !t.isAfter(last); t = next(t)) {
                        newest.addLast(t);
                        if (newest.size() > keep) {
                            newest.removeFirst();
                        }
                    }
                    return newest.getFirst();
                }
                span = span.multipliedBy(2);
            }
        }

        private List<Instant> walkUpTo(Instant first, Instant last, int limit) {
            List<Instant> times = new ArrayList<>();
            for (Instant t = first; t != null && !t.isAfter(last) && times.size() < limit; t = next(t)) {
                times.add(t);
            }
            return times;
        }
    }
}
