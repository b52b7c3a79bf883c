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

/**
 * Which fire times of one job to emit now, and where its schedule goes next (DESIGN §5).
 *
 * <p>Every due time up to now is considered, chained from the stored next fire time. A time no
 * later than the misfire threshold is on time and fires as SCHEDULE. Older times are missed:
 * those outside the catch-up window are dropped; within it {@code FIRE_ALL} emits each as
 * CATCHUP, {@code FIRE_ONCE} emits one CATCHUP for the latest (none if an on-time fire already
 * covers them), {@code SKIP} emits none.
 *
 * @param fires          what to emit, oldest first
 * @param missedSkipped  due times not emitted (dropped, skipped, absorbed, blocked or over maxRuns)
 * @param lastConsidered the latest due time dealt with (fired or not)
 * @param next           the next fire time, or null if the job has no more
 */
public record FirePlan(List<Fire> fires, long missedSkipped, Instant lastConsidered, Instant next) {

    public record Fire(Instant scheduledFor, Trigger trigger) {
    }

    /**
     * @param blocked the previous run is still active under overlap policy SKIP: every due time is
     *                dealt with but none is emitted
     */
    public static FirePlan plan(JobSchedule schedule, Instant firstDue, long firesSoFar, MisfirePolicy policy,
            Duration catchupWindow, Duration misfireThreshold, int maxCatchup, boolean blocked, Instant now) {
        Instant windowStart = now.minus(catchupWindow);
        Instant onTimeStart = now.minus(misfireThreshold);
        long dropped = 0;
        Instant t = firstDue;
        Instant lastConsidered = firstDue;
        Instant chainBase = firstDue;
        if (t.isBefore(windowStart)) {
            // Times before the window are owed nothing: jump instead of walking a long downtime.
            dropped++;
            chainBase = windowStart.minusNanos(1);
            t = schedule.nextAfter(chainBase, firesSoFar).orElse(null);
        }
        Deque<Instant> missed = new ArrayDeque<>();
        List<Instant> onTime = new ArrayList<>();
        while (t != null && !t.isAfter(now)) {
            if (t.isBefore(onTimeStart)) {
                missed.addLast(t);
                if (missed.size() > maxCatchup) {
                    missed.removeFirst();
                    dropped++;
                }
            } else {
                onTime.add(t);
            }
            lastConsidered = t;
            chainBase = t;
            t = schedule.nextAfter(t, firesSoFar).orElse(null);
        }

        List<Fire> fires = new ArrayList<>();
        long skipped = dropped;
        switch (policy) {
            case FIRE_ALL -> missed.forEach(m -> fires.add(new Fire(m, Trigger.CATCHUP)));
            case FIRE_ONCE -> {
                if (!missed.isEmpty() && onTime.isEmpty()) {
                    fires.add(new Fire(missed.getLast(), Trigger.CATCHUP));
                    skipped += missed.size() - 1;
                } else {
                    skipped += missed.size();
                }
            }
            case SKIP -> skipped += missed.size();
        }
        onTime.forEach(o -> fires.add(new Fire(o, Trigger.SCHEDULE)));

        List<Fire> allowed = blocked ? List.of() : limitToMaxRuns(fires, schedule.maxRuns(), firesSoFar);
        skipped += fires.size() - allowed.size();
        Instant next = schedule.nextAfter(chainBase, firesSoFar + allowed.size()).orElse(null);
        return new FirePlan(List.copyOf(allowed), skipped, lastConsidered, next);
    }

    private static List<Fire> limitToMaxRuns(List<Fire> fires, Long maxRuns, long firesSoFar) {
        if (maxRuns == null) {
            return fires;
        }
        long left = Math.max(0, maxRuns - firesSoFar);
        return left >= fires.size() ? fires : fires.subList(0, (int) left);
    }
}
