package io.cronstream.ticker.schedule;

import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * Reads the fields of a cron expression, one dialect at a time, into a {@link CronPattern}. Each dialect accepts what
 * its own library accepts and means what it means:
 * <ul>
 *   <li>UNIX: Vixie cron (day of week 0-7, both 0 and 7 Sunday; names in lists and ranges; when both day fields are
 *       restricted, either matches), plus {@code a/n} (from a to the end of the range);</li>
 *   <li>SPRING: Spring 6.2's {@code CronExpression} (day of week 1 Monday to 7 Sunday, 0 Sunday too; {@code ?} for
 *       {@code *}; {@code L}, {@code L-n}, {@code LW}, {@code nW}, {@code nL}, {@code n#k} in lists);</li>
 *   <li>QUARTZ: Quartz 2.5's {@code CronExpression} as documented (day of week 1 Sunday to 7 Saturday; {@code ?} in
 *       exactly one day field; ranges that wrap, {@code 22-2}; {@code L}, {@code L-n}, {@code LW}, {@code L-nW},
 *       {@code nW}; {@code nL} or {@code n#k} alone; years). Text Quartz 2.5.2 reads but silently ignores or reads
 *       as something else is refused: characters after an item ({@code 5X}, {@code MONDAY}), empty list items, a
 *       step of 0, a step after a name, {@code ?} in a list, {@code #} in a list, out-of-range values it does not
 *       check ({@code 0W}, {@code 8#1}, a range ending at 0 in a field that starts at 1), years outside
 *       1970-2099 (the years Cronstream computes fire times for).</li>
 * </ul>
 * Every list has at most {@value #MAX_LIST_ITEMS} items (the longest a field needs).
 */
final class CronSyntax {

    static final int MAX_LIST_ITEMS = 60;

    private static final List<String> MONTH_NAMES = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG",
            "SEP", "OCT", "NOV", "DEC");
    /** Vixie's numbering from 0; Quartz numbers the same names from 1. */
    private static final List<String> DAY_NAMES_FROM_SUNDAY = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
    /** Spring's numbering, java.time's: MON is 1. */
    private static final List<String> DAY_NAMES_FROM_MONDAY = List.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN");

    /** A field's name for messages, its values, its names (by number from {@code namesFrom}) and its step limit. */
    private record Field(String name, int min, int max, List<String> names, int namesFrom, int maxIncrement) {
        Field(String name, int min, int max) {
            this(name, min, max, List.of(), 0, Integer.MAX_VALUE);
        }

        Field increments(int limit) {
            return new Field(name, min, max, names, namesFrom, limit);
        }

        Field named(List<String> list, int from) {
            return new Field(name, min, max, list, from, maxIncrement);
        }
    }

    private static final Field SECOND = new Field("second", 0, 59);
    private static final Field MINUTE = new Field("minute", 0, 59);
    private static final Field HOUR = new Field("hour", 0, 23);
    private static final Field DAY_OF_MONTH = new Field("day-of-month", 1, 31);
    private static final Field MONTH = new Field("month", 1, 12);
    private static final Field UNIX_MONTH = MONTH.named(MONTH_NAMES, 1);
    private static final Field UNIX_DAY_OF_WEEK = new Field("day-of-week", 0, 7).named(DAY_NAMES_FROM_SUNDAY, 0);
    private static final Field SPRING_DAY_OF_WEEK = new Field("day-of-week", 0, 7);
    private static final Field QUARTZ_SECOND = SECOND.increments(59);
    private static final Field QUARTZ_MINUTE = MINUTE.increments(59);
    private static final Field QUARTZ_HOUR = HOUR.increments(23);
    private static final Field QUARTZ_DAY_OF_MONTH = DAY_OF_MONTH.increments(31);
    private static final Field QUARTZ_MONTH = MONTH.increments(12).named(MONTH_NAMES, 1);
    private static final Field QUARTZ_DAY_OF_WEEK = new Field("day-of-week", 1, 7).increments(7)
            .named(DAY_NAMES_FROM_SUNDAY, 1);
    /** The years fire times are computed for (Quartz 2.5.2 takes any year up to the current one + 100). */
    private static final Field YEAR = new Field("year", CronPattern.FIRST_YEAR, CronPattern.LAST_YEAR);

    private CronSyntax() {
    }

    /**
     * The pattern of {@code fields} (already split, the count already checked against the dialect); throws
     * {@link IllegalArgumentException} naming the field, the item and the problem.
     */
    static CronPattern read(String[] fields, CronDialect dialect) {
        for (int i = 0; i < fields.length; i++) {
            long items = fields[i].chars().filter(c -> c == ',').count() + 1;
            if (items > MAX_LIST_ITEMS) {
                throw new IllegalArgumentException("field " + (i + 1) + " lists " + items + " items, at most "
                        + MAX_LIST_ITEMS + " are allowed");
            }
        }
        return switch (dialect) {
            case UNIX -> unix(fields);
            case SPRING -> spring(fields);
            case QUARTZ -> quartz(fields);
        };
    }

    /** Whether an hour field is a wildcard or a step in every item ({@code *}, {@code *\/2}, {@code 0-22/2}). */
    private static boolean wildcardOrStep(String hours) {
        for (String item : hours.split(",", -1)) {
            if (!item.equals("*") && item.indexOf('/') < 0) {
                return false;
            }
        }
        return true;
    }

    // UNIX ------------------------------------------------------------------------------------------------------

    private static CronPattern unix(String[] f) {
        CronPattern.Builder b = new CronPattern.Builder();
        b.seconds = 1L;
        b.minutes = bits(f[0], MINUTE);
        b.hours = bits(f[1], HOUR);
        b.daysOfMonth = bits(f[2], DAY_OF_MONTH);
        b.months = bits(f[3], UNIX_MONTH);
        b.daysOfWeek = sundayZeroOrSeven(bits(f[4], UNIX_DAY_OF_WEEK));
        // Vixie cron: a day field starting with '*' is unrestricted, so the other decides; two restricted day
        // fields match when either does.
        b.combination = f[2].startsWith("*") || f[4].startsWith("*")
                ? CronPattern.DayCombination.BOTH : CronPattern.DayCombination.EITHER;
        b.wildcardHour = wildcardOrStep(f[1]);
        return b.build();
    }

    /** Cron's 0..7 days of the week (0 and 7 Sunday) as java.time's 1 (Monday) .. 7 (Sunday). */
    private static long sundayZeroOrSeven(long bits) {
        return (bits & 1L) != 0 ? (bits & ~1L) | 1L << 7 : bits;
    }

    // SPRING ----------------------------------------------------------------------------------------------------

    private static CronPattern spring(String[] f) {
        CronPattern.Builder b = new CronPattern.Builder();
        b.seconds = bits(f[0], SECOND);
        b.minutes = bits(f[1], MINUTE);
        b.hours = bits(f[2], HOUR);
        springDaysOfMonth(f[3], b);
        b.months = bits(replaceNames(f[4].toUpperCase(Locale.ROOT), MONTH_NAMES, 1), MONTH);
        springDaysOfWeek(replaceNames(f[5].toUpperCase(Locale.ROOT), DAY_NAMES_FROM_MONDAY, 1), b);
        b.wildcardHour = wildcardOrStep(f[2]);
        return b.build();
    }

    /** Spring puts a number for every name it finds anywhere in the field, then reads numbers. */
    private static String replaceNames(String text, List<String> names, int from) {
        String replaced = text;
        for (int i = 0; i < names.size(); i++) {
            replaced = replaced.replace(names.get(i), Integer.toString(from + i));
        }
        return replaced;
    }

    private static void springDaysOfMonth(String text, CronPattern.Builder b) {
        if (text.indexOf('L') < 0 && text.indexOf('W') < 0) {
            b.daysOfMonth = bits(text.equals("?") ? "*" : text, DAY_OF_MONTH);
            return;
        }
        for (String item : items(text, DAY_OF_MONTH)) {
            int last = item.lastIndexOf('L');
            if (last > 0) {
                throw problem(DAY_OF_MONTH, item, "characters before 'L'");
            } else if (item.equals("L") || item.equals("LW")) {
                set(b, item.equals("L"), 0);
            } else if (last == 0) {
                if (!item.matches("L-\\d+")) {
                    throw problem(DAY_OF_MONTH, item, "expected L, LW or L-n");
                }
                int offset = number(item.substring(2), DAY_OF_MONTH, item);
                if (offset == 0) {
                    throw problem(DAY_OF_MONTH, item, "the offset from the last day must be at least 1");
                }
                set(b, true, offset);
            } else if (item.indexOf('W') >= 0) {
                if (!item.matches("\\d+W")) {
                    throw problem(DAY_OF_MONTH, item, "expected a day before 'W' and nothing after it");
                }
                b.nearestWeekdays |= 1L << value(item.substring(0, item.length() - 1), DAY_OF_MONTH, item);
            } else {
                b.daysOfMonth |= bits(item.equals("?") ? "*" : item, DAY_OF_MONTH);
            }
        }
    }

    /** {@code L-offset} (or {@code L-offsetW} when not {@code day}); an offset a month cannot have never matches. */
    private static void set(CronPattern.Builder b, boolean day, int offset) {
        if (offset < 31) {
            if (day) {
                b.lastDayOffsets |= 1L << offset;
            } else {
                b.nearestWeekdayToLastOffsets |= 1L << offset;
            }
        }
    }

    private static void springDaysOfWeek(String text, CronPattern.Builder b) {
        if (text.indexOf('L') < 0 && text.indexOf('#') < 0) {
            b.daysOfWeek = sundayZeroOrSeven(bits(text.equals("?") ? "*" : text, SPRING_DAY_OF_WEEK));
            return;
        }
        for (String item : items(text, SPRING_DAY_OF_WEEK)) {
            int last = item.lastIndexOf('L');
            int hash = item.lastIndexOf('#');
            if (last >= 0) {
                if (last != item.length() - 1 || last == 0) {
                    throw problem(SPRING_DAY_OF_WEEK, item, "expected a day of the week and 'L' (5L: the last Friday)");
                }
                b.lastDaysOfWeek |= 1L << springDayOfWeek(item.substring(0, last), item);
            } else if (hash >= 0) {
                if (hash == 0 || hash == item.length() - 1) {
                    throw problem(SPRING_DAY_OF_WEEK, item, "expected day#n (1#2: the second Monday)");
                }
                int day = springDayOfWeek(item.substring(0, hash), item);
                int nth = number(item.substring(hash + 1), SPRING_DAY_OF_WEEK, item);
                if (nth < 1) {
                    throw problem(SPRING_DAY_OF_WEEK, item, "the occurrence after '#' must be at least 1");
                }
                if (nth <= 5) { // a sixth one never happens
                    b.nthDaysOfWeek |= 1L << ((day - 1) * 5 + nth - 1);
                }
            } else {
                b.daysOfWeek |= sundayZeroOrSeven(bits(item.equals("?") ? "*" : item, SPRING_DAY_OF_WEEK));
            }
        }
    }

    private static int springDayOfWeek(String text, String item) {
        int day = value(text, SPRING_DAY_OF_WEEK, item);
        return day == 0 ? 7 : day;
    }


    // QUARTZ ----------------------------------------------------------------------------------------------------

    private static CronPattern quartz(String[] original) {
        String[] f = new String[original.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = original[i].toUpperCase(Locale.ROOT);
        }
        CronPattern.Builder b = new CronPattern.Builder();
        b.seconds = quartzBits(f[0], QUARTZ_SECOND);
        b.minutes = quartzBits(f[1], QUARTZ_MINUTE);
        b.hours = quartzBits(f[2], QUARTZ_HOUR);
        b.months = quartzBits(f[4], QUARTZ_MONTH);
        boolean anyDayOfMonth = f[3].equals("?");
        boolean anyDayOfWeek = f[5].equals("?");
        if (anyDayOfMonth && anyDayOfWeek) {
            throw new IllegalArgumentException("'?' can be in day-of-month or in day-of-week, not in both");
        }
        if (!anyDayOfMonth && !anyDayOfWeek) {
            throw new IllegalArgumentException("one of day-of-month and day-of-week must be '?' (cronType QUARTZ "
                    + "cannot restrict both)");
        }
        if (anyDayOfMonth) {
            b.daysOfMonth = -1L;
            quartzDaysOfWeek(f[5], b);
        } else {
            quartzDaysOfMonth(f[3], b);
            b.daysOfWeek = -1L;
        }
        if (f.length == 7) {
            BitSet years = new BitSet();
            for (String item : items(f[6], YEAR)) {
                quartzItem(item, YEAR, years);
            }
            b.years = years;
        }
        b.wildcardHour = wildcardOrStep(f[2]);
        return b.build();
    }

    private static void quartzDaysOfMonth(String text, CronPattern.Builder b) {
        for (String item : items(text, QUARTZ_DAY_OF_MONTH)) {
            if (item.equals("L") || item.equals("LW")) {
                set(b, item.equals("L"), 0);
            } else if (item.matches("L-\\d+W?")) {
                boolean weekday = item.endsWith("W");
                int offset = number(item.substring(2, item.length() - (weekday ? 1 : 0)), QUARTZ_DAY_OF_MONTH, item);
                if (offset > 30) {
                    throw problem(QUARTZ_DAY_OF_MONTH, item, "the offset from the last day must be at most 30");
                }
                set(b, !weekday, offset);
            } else if (item.matches("\\d+W")) {
                b.nearestWeekdays |= 1L << value(item.substring(0, item.length() - 1), QUARTZ_DAY_OF_MONTH, item);
            } else {
                b.daysOfMonth |= quartzBits(item, QUARTZ_DAY_OF_MONTH);
            }
        }
    }

    private static void quartzDaysOfWeek(String text, CronPattern.Builder b) {
        boolean special = text.indexOf('L') >= 0 || text.indexOf('#') >= 0;
        if (special && text.indexOf(',') >= 0) {
            throw problem(QUARTZ_DAY_OF_WEEK, text, "'L' and '#' stand alone in the field, not in a list");
        }
        if (text.equals("L")) {
            b.daysOfWeek = 1L << 6; // Quartz: 'L' alone is the last day of the week, Saturday
        } else if (text.matches("\\w+L")) {
            b.lastDaysOfWeek = 1L << quartzDayOfWeek(text.substring(0, text.length() - 1), text);
        } else if (text.matches("\\w+#\\w+")) {
            int hash = text.indexOf('#');
            int day = quartzDayOfWeek(text.substring(0, hash), text);
            int nth = number(text.substring(hash + 1), QUARTZ_DAY_OF_WEEK, text);
            if (nth < 1 || nth > 5) {
                throw problem(QUARTZ_DAY_OF_WEEK, text, "the occurrence after '#' must be 1 to 5");
            }
            b.nthDaysOfWeek = 1L << ((day - 1) * 5 + nth - 1);
        } else {
            b.daysOfWeek = quartzToJavaDaysOfWeek(quartzBits(text, QUARTZ_DAY_OF_WEEK));
        }
    }

    /** A Quartz day of the week (1 Sunday .. 7 Saturday, or its name) as java.time's 1 (Monday) .. 7 (Sunday). */
    private static int quartzDayOfWeek(String text, String item) {
        int day = value(text, QUARTZ_DAY_OF_WEEK, item);
        return (day + 5) % 7 + 1;
    }

    private static long quartzToJavaDaysOfWeek(long quartzBits) {
        long bits = 0;
        for (int day = 1; day <= 7; day++) {
            if ((quartzBits & 1L << day) != 0) {
                bits |= 1L << ((day + 5) % 7 + 1);
            }
        }
        return bits;
    }

    private static long quartzBits(String text, Field field) {
        BitSet values = new BitSet();
        for (String item : items(text, field)) {
            quartzItem(item, field, values);
        }
        return values.isEmpty() ? 0 : values.toLongArray()[0];
    }

    /**
     * One item into {@code values}: {@code *}, {@code *\/n}, {@code a}, {@code a-b}, {@code a/n}, {@code a-b/n} (a
     * range may wrap: {@code 22-2}); names only as {@code NAME} or {@code NAME-NAME}.
     */
    private static void quartzItem(String item, Field field, BitSet values) {
        int slash = item.indexOf('/');
        String range = slash < 0 ? item : item.substring(0, slash);
        int step = slash < 0 ? 1 : step(item.substring(slash + 1), field, item);
        boolean named = startsWithLetter(range);
        if (named && slash >= 0) {
            throw problem(field, item, "a step after a name (Quartz would ignore it)");
        }
        int low;
        int high;
        int dash = range.indexOf('-');
        if (range.equals("*") || dash < 0 && slash >= 0) {
            // Quartz checks the step of '*/n' and 'a/n' (not of 'a-b/n')
            if (step > field.maxIncrement()) {
                throw problem(field, item, "a step of at most " + field.maxIncrement());
            }
            low = range.equals("*") ? field.min() : value(range, field, item);
            high = field.max();
        } else if (dash >= 0) {
            String end = range.substring(dash + 1);
            if (startsWithLetter(end) != named) {
                throw problem(field, item, "a range is two numbers or two names");
            }
            low = value(range.substring(0, dash), field, item);
            high = value(end, field, item);
        } else {
            low = value(range, field, item);
            high = low;
        }
        if (low <= high) {
            for (long v = low; v <= high; v += step) {
                values.set((int) v);
            }
        } else if (field == YEAR) {
            throw problem(field, item, "the range runs backwards");
        } else {
            // Quartz: a range whose end comes before its start wraps around the field (22-2: 22, 23, 0, 1, 2)
            int size = field.max() - field.min() + 1;
            for (long v = low; v <= high + size; v += step) {
                values.set((int) ((v - field.min()) % size + field.min()));
            }
        }
    }

    // Shared ----------------------------------------------------------------------------------------------------

    private static String[] items(String text, Field field) {
        String[] items = text.split(",", -1);
        for (String item : items) {
            if (item.isEmpty()) {
                throw problem(field, text, "an empty list item");
            }
        }
        return items;
    }

    /**
     * A list of {@code *}, {@code a}, {@code a-b}, each with an optional {@code /step} ({@code a/step}: from a to the
     * end of the field), as Vixie cron and Spring read it; Spring's day of week starts {@code *} at 1 (Monday) and
     * reads a range from 7 (Sunday) as from 0.
     */
    private static long bits(String text, Field field) {
        long bits = 0;
        for (String item : items(text, field)) {
            int slash = item.indexOf('/');
            String range = slash < 0 ? item : item.substring(0, slash);
            int step = slash < 0 ? 1 : step(item.substring(slash + 1), field, item);
            int low;
            int high;
            int dash = range.indexOf('-');
            if (range.equals("*")) {
                // Spring's day of week runs from 1 (Monday): a step over '*' starts there
                low = field == SPRING_DAY_OF_WEEK ? 1 : field.min();
                high = field.max();
            } else if (dash >= 0) {
                low = value(range.substring(0, dash), field, item);
                high = value(range.substring(dash + 1), field, item);
                if (field == SPRING_DAY_OF_WEEK && low == 7) {
                    low = 0; // Spring: Sunday as the start of a range is 0
                }
                if (low > high) {
                    throw problem(field, item, "the range runs backwards (" + low + " > " + high + ")");
                }
            } else {
                low = value(range, field, item);
                high = slash < 0 ? low : field.max();
            }
            bits |= stepped(low, high, step);
        }
        return bits;
    }

    private static long stepped(int low, int high, int step) {
        long bits = 0;
        for (long v = low; v <= high; v += step) {
            bits |= 1L << v;
        }
        return bits;
    }

    /** A value of the field: digits, or a name the field knows; within the field's range. */
    private static int value(String text, Field field, String item) {
        int value;
        if (startsWithLetter(text)) {
            int index = field.names().indexOf(text.toUpperCase(Locale.ROOT));
            if (index < 0) {
                throw problem(field, item, "'" + text + "' is not a " + field.name()
                        + (field.names().isEmpty() ? "" : " (names: " + String.join(", ", field.names()) + ")"));
            }
            value = field.namesFrom() + index;
        } else {
            value = number(text, field, item);
        }
        if (value < field.min() || value > field.max()) {
            throw problem(field, item, value + " is not in " + field.min() + "-" + field.max());
        }
        return value;
    }

    private static boolean startsWithLetter(String text) {
        return !text.isEmpty() && Character.isLetter(text.charAt(0));
    }

    private static int number(String text, Field field, String item) {
        if (text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw problem(field, item, "'" + text + "' is not a number");
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw problem(field, item, "'" + text + "' is too large");
        }
    }

    private static int step(String text, Field field, String item) {
        int step = number(text, field, item);
        if (step < 1) {
            throw problem(field, item, "a step must be at least 1");
        }
        return step;
    }

    private static IllegalArgumentException problem(Field field, String item, String why) {
        return new IllegalArgumentException(field.name() + " '" + shorten(item) + "': " + why);
    }

    static String shorten(String text) {
        return text.length() <= 64 ? text : text.substring(0, 61) + "...";
    }
}
