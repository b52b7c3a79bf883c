package io.cronstream.api;

import io.cronstream.api.CronOracle.Reading;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.PriorityQueue;

/**
 * DESIGN §5 applied by brute force: every matching local second, day by day, becomes its instants as
 * {@code java.time} resolves it. A time that exists once fires then; a time in a gap fires shifted by the gap
 * ({@code ZonedDateTime.ofLocal}) when the hour field is fixed, never when it is a wildcard or a step; a time that
 * occurs twice fires at its first occurrence when the hour field is fixed, at both otherwise. Local times end with
 * 2099 (Cronstream's horizon: Quartz's own years end there, cron-utils' too).
 */
final class DaylightSavingOracle {

    private static final int LAST_YEAR = 2099;
    private static final LocalDate FIRST_DAY = LocalDate.of(1970, 1, 1);

    private DaylightSavingOracle() {
    }

    /** The first {@code count} fire times strictly after {@code after}, oldest first (fewer when the series ends). */
    static List<Instant> fires(Reading reading, ZoneId zone, Instant after, int count) {
        ZoneRules rules = zone.getRules();
        int[] offsets = offsetBounds(rules, after);
        long earliest = after.getEpochSecond() + offsets[0]; // a local time at or before this fires at or before `after`
        // the newest `count` candidates, the latest first: a later candidate than all of them is not needed
        PriorityQueue<Instant> kept = new PriorityQueue<>(Collections.reverseOrder());
        LocalDate day = LocalDate.ofEpochDay(Math.floorDiv(earliest, 86_400));
        if (day.isBefore(FIRST_DAY)) {
            day = FIRST_DAY;
        }
        for (; day.getYear() <= LAST_YEAR; day = day.plusDays(1)) {
            long dayStart = day.toEpochSecond(LocalTime.MIDNIGHT, ZoneOffset.UTC);
            if (kept.size() == count && dayStart - offsets[1] > kept.peek().getEpochSecond()) {
                break; // every time of this day and later fires after the newest kept
            }
            if (dayStart + 86_399 <= earliest || !reading.day().test(day)) {
                continue;
            }
            for (int h = 0; h < 24; h++) {
                if (!reading.hour().test(h) || dayStart + h * 3600 + 3599 <= earliest) {
                    continue;
                }
                for (int m = 0; m < 60; m++) {
                    if (!reading.minute().test(m)) {
                        continue;
                    }
                    for (int s = 0; s < 60; s++) {
                        long local = dayStart + h * 3600 + m * 60 + s;
                        if (local <= earliest || !reading.second().test(s)) {
                            continue;
                        }
                        if (kept.size() == count && local - offsets[1] > kept.peek().getEpochSecond()) {
                            break;
                        }
                        for (Instant fire : instants(day.atTime(h, m, s), zone, reading.wildcardHour())) {
                            if (fire.isAfter(after) && !kept.contains(fire)) {
                                kept.add(fire);
                                if (kept.size() > count) {
                                    kept.poll();
                                }
                            }
                        }
                    }
                }
            }
        }
        List<Instant> fires = new ArrayList<>(kept);
        Collections.sort(fires);
        return fires;
    }

    private static List<Instant> instants(LocalDateTime local, ZoneId zone, boolean wildcardHour) {
        List<ZoneOffset> valid = zone.getRules().getValidOffsets(local);
        if (valid.size() == 1) {
            return List.of(local.toInstant(valid.get(0)));
        }
        if (wildcardHour) {
            return valid.stream().map(local::toInstant).toList(); // none in a gap, both passes of a repeated time
        }
        return List.of(ZonedDateTime.ofLocal(local, zone, null).toInstant()); // shifted by a gap, or the first pass
    }

    /**
     * The least and the greatest offset (seconds) the zone has from a day before {@code after} to the horizon: a
     * local time L fires no earlier than L minus the greatest, no later than L minus the least.
     */
    private static int[] offsetBounds(ZoneRules rules, Instant after) {
        Instant from = after.minusSeconds(2 * 86_400);
        int low = rules.getOffset(from).getTotalSeconds();
        int high = low;
        Instant end = LocalDate.of(LAST_YEAR + 1, 1, 2).atStartOfDay().toInstant(ZoneOffset.UTC);
        for (ZoneOffsetTransition t = rules.nextTransition(from); t != null && t.getInstant().isBefore(end);
                t = rules.nextTransition(t.getInstant())) {
            low = Math.min(low, t.getOffsetAfter().getTotalSeconds());
            high = Math.max(high, t.getOffsetAfter().getTotalSeconds());
        }
        return new int[] {low, high};
    }
}
