package io.cronstream.ticker.schedule;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.YearMonth;
import java.util.BitSet;

/**
 * Which wall-clock date-times a cron expression matches, whatever its dialect: a set per time field and the
 * day rules (a day of the month, the last day and its offsets, the nearest weekday, a day of the week, its last
 * and its nth occurrence in the month). Knows nothing of time zones. Immutable.
 *
 * <p>A search walks months, skipping those the month and year fields exclude, and reads each remaining month as a
 * mask of its matching days, then the first matching time of the first matching day: its cost follows the months
 * between the start and the match, never the size of a field's list, and ends at {@link #LAST_YEAR}.
 */
final class CronPattern {

    /** Fire times are computed up to the end of this year (and from {@link #FIRST_YEAR} on). */
    static final int LAST_YEAR = 2099;
    static final int FIRST_YEAR = 1970;
    static final LocalDateTime END = LocalDateTime.of(LAST_YEAR + 1, 1, 1, 0, 0);
    private static final LocalDateTime BEGINNING = LocalDateTime.of(FIRST_YEAR, 1, 1, 0, 0);

    /** How the two day fields combine: both must match, or (Vixie cron, both restricted) either. */
    enum DayCombination { BOTH, EITHER }

    private final long seconds;
    private final long minutes;
    private final int hours;
    /** Bits 1..12. */
    private final int months;
    /** Years that match; null: every year. */
    private final BitSet years;

    /** Days of the month, bits 1..31. */
    private final long daysOfMonth;
    /** {@code L-n}: bit n for the n-th day before the last (bit 0: the last day). */
    private final long lastDayOffsets;
    /** {@code nW}: the weekday nearest day n, bits 1..31. */
    private final long nearestWeekdays;
    /** {@code L-nW}: the weekday nearest the n-th day before the last, bit n. */
    private final long nearestWeekdayToLastOffsets;
    /** Days of the week as java.time numbers them, bits 1 (Monday) .. 7 (Sunday). */
    private final int daysOfWeek;
    /** {@code nL}: the last such day of the week in the month, bits 1..7. */
    private final int lastDaysOfWeek;
    /** {@code n#k}: bit (day-of-week - 1) * 5 + (k - 1), k from 1 to 5. */
    private final long nthDaysOfWeek;
    private final DayCombination combination;
    private final boolean wildcardHour;
    /** No month of any length starting on any day of the week has a matching day (February 30th): never fires. */
    private final boolean impossible;

    private CronPattern(Builder b) {
        this.seconds = b.seconds;
        this.minutes = b.minutes;
        this.hours = (int) b.hours;
        this.months = (int) b.months;
        this.years = b.years;
        this.daysOfMonth = b.daysOfMonth;
        this.lastDayOffsets = b.lastDayOffsets;
        this.nearestWeekdays = b.nearestWeekdays;
        this.nearestWeekdayToLastOffsets = b.nearestWeekdayToLastOffsets;
        this.daysOfWeek = (int) b.daysOfWeek;
        this.lastDaysOfWeek = (int) b.lastDaysOfWeek;
        this.nthDaysOfWeek = b.nthDaysOfWeek;
        this.combination = b.combination;
        this.wildcardHour = b.wildcardHour;
        this.impossible = noMonthHasADay();
    }

    private boolean noMonthHasADay() {
        for (int month = nextBit(months, 1); month >= 0; month = nextBit(months, month + 1)) {
            for (int length = Month.of(month).minLength(); length <= Month.of(month).maxLength(); length++) {
                for (int firstDayOfWeek = 1; firstDayOfWeek <= 7; firstDayOfWeek++) {
                    if (days(length, firstDayOfWeek) != 0) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /**
     * Whether the hour field is a wildcard or a step ({@code *}, {@code *\/2}, {@code 1-23/2}): such a schedule
     * fires every real hour, both passes of a repeated one, and nothing for a time a gap skips (DESIGN §5).
     */
    boolean wildcardHour() {
        return wildcardHour;
    }

    /** Whether {@code time} (whole seconds) matches. */
    boolean matches(LocalDateTime time) {
        return time.getNano() == 0 && has(seconds, time.getSecond()) && has(minutes, time.getMinute())
                && has(hours, time.getHour()) && monthMatches(time.getYear(), time.getMonthValue())
                && has(days(YearMonth.of(time.getYear(), time.getMonthValue())), time.getDayOfMonth());
    }

    /**
     * The first matching date-time at or after {@code from} (whole seconds) and before {@code until}, or null. Never
     * searches past {@link #END} nor before {@link #FIRST_YEAR}.
     */
    LocalDateTime next(LocalDateTime from, LocalDateTime until) {
        if (impossible) {
            return null;
        }
        LocalDateTime start = from.isBefore(BEGINNING) ? BEGINNING : from;
        LocalDateTime limit = until.isAfter(END) ? END : until;
        int year = start.getYear();
        int month = start.getMonthValue();
        int firstDay = start.getDayOfMonth();
        int firstSecond = start.toLocalTime().toSecondOfDay();
        while (LocalDate.of(year, month, 1).atStartOfDay().isBefore(limit)) {
            if (monthMatches(year, month)) {
                long days = days(YearMonth.of(year, month)) & (-1L << firstDay);
                for (int day = nextBit(days, firstDay); day >= 0; day = nextBit(days, day + 1)) {
                    int second = nextSecondOfDay(day == firstDay ? firstSecond : 0);
                    if (second >= 0) {
                        LocalDateTime match = LocalDate.of(year, month, day).atStartOfDay().plusSeconds(second);
                        return match.isBefore(limit) ? match : null;
                    }
                }
            } else if (years != null && !years.get(year)) {
                int nextYear = years.nextSetBit(year + 1);
                if (nextYear < 0 || nextYear > LAST_YEAR) {
                    return null;
                }
                year = nextYear;
                month = 1;
                firstDay = 1;
                firstSecond = 0;
                continue;
            }
            firstDay = 1;
            firstSecond = 0;
            if (month == 12) {
                year++;
                month = 1;
            } else {
                month++;
            }
        }
        return null;
    }

    private boolean monthMatches(int year, int month) {
        return has(months, month) && (years == null || years.get(year));
    }

    /** The matching days of a month, bits 1..31. */
    private long days(YearMonth month) {
        return days(month.lengthOfMonth(), month.atDay(1).getDayOfWeek().getValue());
    }

    /** The matching days of a month of {@code length} days whose 1st is {@code firstDayOfWeek} (1 Monday). */
    private long days(int length, int firstDayOfWeek) {
        long all = ((1L << length) - 1) << 1;
        long byMonth = dayOfMonthDays(length, firstDayOfWeek) & all;
        long byWeek = dayOfWeekDays(length, firstDayOfWeek) & all;
        return combination == DayCombination.BOTH ? byMonth & byWeek : byMonth | byWeek;
    }

    private long dayOfMonthDays(int length, int firstDayOfWeek) {
        long days = daysOfMonth;
        for (int offset = nextBit(lastDayOffsets, 0); offset >= 0 && offset < length; offset = nextBit(lastDayOffsets, offset + 1)) {
            days |= 1L << (length - offset);
        }
        if (nearestWeekdays != 0 || nearestWeekdayToLastOffsets != 0) {
            for (int day = nextBit(nearestWeekdays, 1); day >= 0 && day <= length; day = nextBit(nearestWeekdays, day + 1)) {
                days |= 1L << nearestWeekday(day, length, firstDayOfWeek);
            }
            for (int offset = nextBit(nearestWeekdayToLastOffsets, 0); offset >= 0 && offset < length;
                    offset = nextBit(nearestWeekdayToLastOffsets, offset + 1)) {
                days |= 1L << nearestWeekday(length - offset, length, firstDayOfWeek);
            }
        }
        return days;
    }

    /**
     * The weekday nearest {@code day}, never leaving the month: a Saturday moves to the Friday before (the 1st to
     * the Monday after), a Sunday to the Monday after (the last day to the Friday before).
     */
    private static int nearestWeekday(int day, int length, int firstDayOfWeek) {
        int dayOfWeek = dayOfWeek(day, firstDayOfWeek);
        if (dayOfWeek == 6) {
            return day == 1 ? 3 : day - 1;
        }
        if (dayOfWeek == 7) {
            return day == length ? day - 2 : day + 1;
        }
        return day;
    }

    private long dayOfWeekDays(int length, int firstDayOfWeek) {
        long days = 0;
        for (int day = 1; day <= length; day++) {
            int dayOfWeek = dayOfWeek(day, firstDayOfWeek);
            if (has(daysOfWeek, dayOfWeek) || has(lastDaysOfWeek, dayOfWeek) && day + 7 > length
                    || has(nthDaysOfWeek, (dayOfWeek - 1) * 5 + (day - 1) / 7)) {
                days |= 1L << day;
            }
        }
        return days;
    }

    private static int dayOfWeek(int day, int firstDayOfWeek) {
        return (firstDayOfWeek - 1 + day - 1) % 7 + 1;
    }

    /** The first matching time of day at or after {@code secondOfDay}, as a second of the day, or -1. */
    private int nextSecondOfDay(int secondOfDay) {
        int hour = secondOfDay / 3600;
        int minute = secondOfDay / 60 % 60;
        if (has(hours, hour)) {
            if (has(minutes, minute)) {
                int second = nextBit(seconds, secondOfDay % 60);
                if (second >= 0) {
                    return hour * 3600 + minute * 60 + second;
                }
            }
            int nextMinute = nextBit(minutes, minute + 1);
            if (nextMinute >= 0) {
                return hour * 3600 + nextMinute * 60 + Long.numberOfTrailingZeros(seconds);
            }
        }
        int nextHour = nextBit(hours, hour + 1);
        return nextHour < 0 ? -1
                : nextHour * 3600 + Long.numberOfTrailingZeros(minutes) * 60 + Long.numberOfTrailingZeros(seconds);
    }

    private static boolean has(long bits, int index) {
        return index >= 0 && index < 64 && (bits & (1L << index)) != 0;
    }

    private static int nextBit(long bits, int from) {
        if (from >= 64) {
            return -1;
        }
        long rest = bits & (-1L << from);
        return rest == 0 ? -1 : Long.numberOfTrailingZeros(rest);
    }

    /** Filled by a dialect's reader; every set starts empty. */
    static final class Builder {
        long seconds;
        long minutes;
        long hours;
        long months;
        BitSet years;
        long daysOfMonth;
        long lastDayOffsets;
        long nearestWeekdays;
        long nearestWeekdayToLastOffsets;
        long daysOfWeek;
        long lastDaysOfWeek;
        long nthDaysOfWeek;
        DayCombination combination = DayCombination.BOTH;
        boolean wildcardHour;

        CronPattern build() {
            return new CronPattern(this);
        }
    }
}
