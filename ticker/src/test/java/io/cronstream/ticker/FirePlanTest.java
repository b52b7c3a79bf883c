package io.cronstream.ticker;

import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.schemas.Trigger;
import io.cronstream.ticker.job.MisfirePolicy;
import io.cronstream.ticker.schedule.CronDialect;
import io.cronstream.ticker.schedule.CronSchedule;
import io.cronstream.ticker.schedule.IntervalSchedule;
import io.cronstream.ticker.schedule.JobSchedule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * The catch-up walk costs what it emits, not what the downtime was: the schedule reads of a plan are
 * counted, and a plan that stops at its fire budget resumes exactly where it stopped.
 */
class FirePlanTest {

    private static final Instant NOW = Instant.parse("2026-03-02T12:00:00Z");
    private static final JobSchedule EVERY_SECOND = new JobSchedule(
            CronSchedule.parse("* * * * * *", CronDialect.SPRING, ZoneOffset.UTC), null, null, null);

    /** Counts the schedule reads of a plan. */
    private static final class Reads implements FirePlan.Timeline {
        private final JobSchedule schedule;
        long count;

        Reads(JobSchedule schedule) {
            this.schedule = schedule;
        }

        @Override
        public Optional<Instant> nextAfter(Instant after, long firesSoFar) {
            count++;
            return schedule.nextAfter(after, firesSoFar);
        }
    }

    private static FirePlan plan(Reads reads, Instant firstDue, MisfirePolicy policy, Duration window, int maxCatchup,
            boolean blocked, int maxFires) {
        return FirePlan.request().timeline(reads, null).firstDue(firstDue).misfirePolicy(policy).catchupWindow(window)
                .misfireThreshold(Duration.ofMinutes(1)).maxCatchup(maxCatchup).blocked(blocked).now(NOW)
                .maxFires(maxFires).plan();
    }

    @Test
    void fireOnceAfterAWeekDownReadsAFewHundredTimesNotAWeekOfSeconds() {
        Reads reads = new Reads(EVERY_SECOND);
        FirePlan plan = plan(reads, NOW.minus(Duration.ofDays(7)), MisfirePolicy.FIRE_ONCE, Duration.ofDays(7),
                10_000, false, 50_000);
        // On-time fires (the last minute) cover the missed ones: no CATCHUP, 61 SCHEDULE fires.
        assertThat(plan.fires()).hasSize(61).allMatch(f -> f.trigger() == Trigger.SCHEDULE);
        assertThat(plan.fires().get(0).scheduledFor()).isEqualTo(NOW.minusSeconds(60));
        assertThat(plan.missedSkipped()).isEqualTo(7 * 86_400 - 60);
        assertThat(plan.next()).isEqualTo(NOW.plusSeconds(1));
        assertThat(reads.count).as("schedule reads").isLessThan(1_000); // a walk would read 604,800
    }

    @Test
    void fireOnceWithoutOnTimeFireEmitsTheLatestMissedTimeFoundByBisection() {
        JobSchedule everyTenMinutes = new JobSchedule(
                CronSchedule.parse("*/10 * * * *", CronDialect.UNIX, ZoneOffset.UTC), null, null, null);
        Reads reads = new Reads(everyTenMinutes);
        FirePlan plan = FirePlan.request().timeline(reads, null).firstDue(NOW.minus(Duration.ofDays(365)))
                .misfirePolicy(MisfirePolicy.FIRE_ONCE).catchupWindow(Duration.ofDays(366))
                .misfireThreshold(Duration.ofMinutes(1)).maxCatchup(10_000).now(NOW.plus(Duration.ofMinutes(5)))
                .maxFires(50_000).plan();
        assertThat(plan.fires()).containsExactly(new FirePlan.Fire(NOW, Trigger.CATCHUP));
        assertThat(plan.missedSkipped()).isEqualTo(365 * 144);
        assertThat(plan.next()).isEqualTo(NOW.plus(Duration.ofMinutes(10)));
        assertThat(reads.count).isLessThan(1_000); // a walk would read 52,560
    }

    @Test
    void skipAndABlockedJobJumpToNow() {
        for (boolean blocked : new boolean[] {false, true}) {
            Reads reads = new Reads(EVERY_SECOND);
            FirePlan plan = plan(reads, NOW.minus(Duration.ofDays(3)), MisfirePolicy.SKIP, Duration.ofDays(7), 10_000,
                    blocked, 50_000);
            assertThat(plan.fires()).hasSize(blocked ? 0 : 61);
            assertThat(plan.next()).isEqualTo(NOW.plusSeconds(1));
            assertThat(reads.count).isLessThan(1_000);
        }
    }

    @Test
    void fireAllKeepsTheNewestMissedTimesWithoutWalkingTheWholeWindow() {
        Reads reads = new Reads(EVERY_SECOND);
        FirePlan plan = plan(reads, NOW.minus(Duration.ofDays(1)), MisfirePolicy.FIRE_ALL, Duration.ofDays(2), 100,
                false, 50_000);
        List<FirePlan.Fire> catchup = plan.fires().stream().filter(f -> f.trigger() == Trigger.CATCHUP).toList();
        assertThat(catchup).hasSize(100);
        assertThat(catchup.get(0).scheduledFor()).isEqualTo(NOW.minusSeconds(160));
        assertThat(catchup.get(99).scheduledFor()).isEqualTo(NOW.minusSeconds(61));
        assertThat(plan.fires()).hasSize(161);
        assertThat(plan.missedSkipped()).isEqualTo(86_400 - 60 - 100);
        assertThat(reads.count).isLessThan(5_000); // a walk would read 86,400
    }

    @Test
    void aPlanCutByItsFireBudgetResumesWhereItStoppedAndFiresEachTimeOnce() {
        Instant firstDue = NOW.minus(Duration.ofHours(1));
        Set<Instant> fired = new HashSet<>();
        List<Instant> order = new ArrayList<>();
        Instant due = firstDue;
        long firesSoFar = 0;
        int plans = 0;
        while (due != null && !due.isAfter(NOW)) {
            Reads reads = new Reads(EVERY_SECOND);
            FirePlan plan = FirePlan.request().timeline(reads, null).firstDue(due).firesSoFar(firesSoFar)
                    .misfirePolicy(MisfirePolicy.FIRE_ALL).catchupWindow(Duration.ofHours(2))
                    .misfireThreshold(Duration.ofMinutes(1)).maxCatchup(10_000).now(NOW).maxFires(500).plan();
            assertThat(plan.fires()).hasSizeLessThanOrEqualTo(500);
            assertThat(reads.count).as("reads of one plan").isLessThan(2 * 500 + 100 + 2 * 10_000);
            plan.fires().forEach(f -> {
                assertThat(fired.add(f.scheduledFor())).as("fired twice: " + f).isTrue();
                order.add(f.scheduledFor());
            });
            firesSoFar += plan.fires().size();
            due = plan.next();
            plans++;
        }
        assertThat(plans).isEqualTo(8);
        assertThat(order).hasSize(3_601).isSorted();
        assertThat(order.get(0)).isEqualTo(firstDue);
        assertThat(due).isEqualTo(NOW.plusSeconds(1));
    }

    @Test
    void truncatedPlanResumesAtTheFirstFireLeftOut() {
        FirePlan plan = plan(new Reads(EVERY_SECOND), NOW.minusSeconds(10), MisfirePolicy.FIRE_ALL, Duration.ofHours(1),
                10_000, false, 50_000);
        FirePlan cut = plan.firstFires(3);
        assertThat(cut.fires()).hasSize(3);
        assertThat(cut.lastConsidered()).isEqualTo(NOW.minusSeconds(8));
        assertThat(cut.next()).isEqualTo(NOW.minusSeconds(7));
        assertThat(plan.firstFires(0)).isSameAs(plan);
    }

    /**
     * The plan matches the straightforward walk (the ticker's former algorithm) on every small case; with
     * {@code oneRun} (overlap SKIP) the walk's first fire alone, every later due time skipped as overlapping it.
     */
    @Property(tries = 500)
    void sameAnswerAsWalkingEveryDueTime(@ForAll @IntRange(min = 1, max = 900) int periodSeconds,
            @ForAll @LongRange(min = 0, max = 4 * 3600) long downSeconds,
            @ForAll @LongRange(min = 0, max = 5 * 3600) long windowSeconds,
            @ForAll @LongRange(min = 0, max = 600) long thresholdSeconds,
            @ForAll @IntRange(min = 1, max = 40) int maxCatchup,
            @ForAll MisfirePolicy policy, @ForAll boolean blocked, @ForAll boolean oneRun) {
        JobSchedule schedule = new JobSchedule(new IntervalSchedule(Duration.ofSeconds(periodSeconds),
                Instant.parse("2026-01-01T00:00:00.250Z")), null, null, null);
        Instant firstDue = schedule.nextAfter(NOW.minusSeconds(downSeconds).minusNanos(1), 0).orElseThrow();
        if (firstDue.isAfter(NOW)) {
            return;
        }
        FirePlan expected = walkEveryTime(schedule, firstDue, policy, Duration.ofSeconds(windowSeconds),
                Duration.ofSeconds(thresholdSeconds), maxCatchup, blocked, oneRun);
        FirePlan actual = FirePlan.request().schedule(schedule).firstDue(firstDue).misfirePolicy(policy)
                .catchupWindow(Duration.ofSeconds(windowSeconds)).misfireThreshold(Duration.ofSeconds(thresholdSeconds))
                .maxCatchup(maxCatchup).blocked(blocked).oneRun(oneRun).now(NOW).maxFires(50_000).plan();
        assertThat(actual.fires()).isEqualTo(expected.fires());
        assertThat(actual.next()).isEqualTo(expected.next());
        assertThat(actual.lastConsidered()).isEqualTo(expected.lastConsidered());
        assertThat(actual.missedSkipped()).isEqualTo(expected.missedSkipped());
        assertThat(actual.overlapSkipped()).isEqualTo(expected.overlapSkipped());
    }

    /** The former FirePlan: walks every due time from the stored one to now. */
    private static FirePlan walkEveryTime(JobSchedule schedule, Instant firstDue, MisfirePolicy policy,
            Duration catchupWindow, Duration misfireThreshold, int maxCatchup, boolean blocked, boolean oneRun) {
        Instant windowStart = NOW.minus(catchupWindow);
        Instant onTimeStart = NOW.minus(misfireThreshold);
        long dropped = 0;
        Instant t = firstDue;
        Instant lastConsidered = firstDue;
        Instant chainBase = firstDue;
        if (t.isBefore(windowStart)) {
            dropped++;
            chainBase = windowStart.minusNanos(1);
            t = schedule.nextAfter(chainBase, 0).orElse(null);
        }
        Deque<Instant> missed = new ArrayDeque<>();
        List<Instant> onTime = new ArrayList<>();
        while (t != null && !t.isAfter(NOW)) {
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
            t = schedule.nextAfter(t, 0).orElse(null);
        }
        List<FirePlan.Fire> fires = new ArrayList<>();
        long skipped = dropped;
        switch (policy) {
            case FIRE_ALL -> missed.forEach(m -> fires.add(new FirePlan.Fire(m, Trigger.CATCHUP)));
            case FIRE_ONCE -> {
                if (!missed.isEmpty() && onTime.isEmpty()) {
                    fires.add(new FirePlan.Fire(missed.getLast(), Trigger.CATCHUP));
                    skipped += missed.size() - 1;
                } else {
                    skipped += missed.size();
                }
            }
            case SKIP -> skipped += missed.size();
        }
        onTime.forEach(o -> fires.add(new FirePlan.Fire(o, Trigger.SCHEDULE)));
        List<FirePlan.Fire> allowed = blocked ? List.of() : fires;
        skipped += fires.size() - allowed.size();
        long overlapping = oneRun && allowed.size() > 1 ? allowed.size() - 1 : 0;
        List<FirePlan.Fire> emitted = overlapping > 0 ? allowed.subList(0, 1) : allowed;
        return new FirePlan(emitted, skipped, overlapping, lastConsidered,
                schedule.nextAfter(chainBase, emitted.size()).orElse(null));
    }
}
