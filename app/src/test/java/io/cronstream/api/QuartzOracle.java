package io.cronstream.api;

import io.cronstream.api.CronOracle.Reading;
import java.lang.reflect.Field;
import java.text.ParseException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.quartz.CronExpression;

/**
 * Quartz 2.5.2's reading: its {@code CronExpression} parses (or refuses) and fills its value sets; which dates and
 * times match is read from those sets and flags with the day rules Quartz documents (its own walk has nW bugs:
 * issue 24). Two differences by design, encoded here:
 * <ul>
 *   <li>Text that Quartz reads but silently ignores or reads as something else is refused (DESIGN's "a clear
 *       error, never a silent default"): characters after an item ({@code 5X}, {@code MONDAY}, {@code ?X},
 *       {@code 15WX}, {@code LW} or {@code L-2} in day-of-week), empty list items, a step of 0, a step after a
 *       name ({@code MON-FRI/2}), a bare {@code /n}, {@code ?} in a list, {@code #} with other days (Quartz
 *       documents it alone and applies it to the smallest day only), values it does not check ({@code 0W},
 *       {@code 8#1}, a range ending at 0 in a field that starts at 1);</li>
 *   <li>years: Quartz 2.5.2 takes any year up to the current one + 100; Cronstream computes fire times from 1970
 *       to 2099 and refuses a year outside them.</li>
 * </ul>
 */
final class QuartzOracle {

    private static final int NO_SPEC = 98;
    private static final int LAST_DAY = 62;
    private static final String NUMERIC = "\\*|\\*/\\d+|\\d+|\\d+-\\d+|\\d+/\\d+|\\d+-\\d+/\\d+";
    private static final String NAMED = NUMERIC + "|[A-Z]{3}|[A-Z]{3}-[A-Z]{3}";
    private static final Pattern[] ITEMS = {
        Pattern.compile(NUMERIC), Pattern.compile(NUMERIC), Pattern.compile(NUMERIC),
        Pattern.compile(NUMERIC + "|L|LW|L-\\d+W?|\\d+W"), Pattern.compile(NAMED), Pattern.compile(NAMED),
        Pattern.compile(NUMERIC)};
    /** Day-of-week items that stand alone in their field. */
    private static final Pattern ALONE = Pattern.compile("L|(\\d+|[A-Z]{3})L|(\\d+|[A-Z]{3})#\\d+");
    private static final Pattern ZERO_STEP = Pattern.compile(".*/0+");
    private static final Pattern RANGE_TO_ZERO = Pattern.compile("\\d+-0+(/\\d+)?");
    private static final Pattern NTH = Pattern.compile("(\\d+)#\\d+");

    private QuartzOracle() {
    }

    static Reading read(String expression) {
        CronExpression quartz;
        try {
            quartz = new CronExpression(expression);
        } catch (ParseException e) {
            return Reading.refused("Quartz: " + e.getMessage());
        }
        String[] f = expression.trim().toUpperCase(Locale.US).split("[ \t]+");
        String ignored = ignoredByQuartz(f);
        if (ignored != null) {
            return Reading.refused("Quartz ignores or misreads " + ignored);
        }
        TreeSet<Integer> seconds = set(quartz, "seconds");
        TreeSet<Integer> minutes = set(quartz, "minutes");
        TreeSet<Integer> hours = set(quartz, "hours");
        TreeSet<Integer> daysOfMonth = set(quartz, "daysOfMonth");
        TreeSet<Integer> nearestWeekdays = set(quartz, "nearestWeekdays");
        TreeSet<Integer> months = set(quartz, "months");
        TreeSet<Integer> daysOfWeek = set(quartz, "daysOfWeek");
        TreeSet<Integer> years = set(quartz, "years");
        boolean lastDayOfWeek = (Boolean) get(quartz, "lastDayOfWeek");
        int nthDayOfWeek = (Integer) get(quartz, "nthDayOfWeek");
        boolean byDayOfWeek = daysOfMonth.contains(NO_SPEC);
        return new Reading(null, date -> {
            if (!months.contains(date.getMonthValue()) || !years.contains(date.getYear())) {
                return false;
            }
            int day = date.getDayOfMonth();
            int length = date.lengthOfMonth();
            if (byDayOfWeek) {
                int quartzDay = date.getDayOfWeek().getValue() % 7 + 1; // Quartz: 1 is Sunday
                if (lastDayOfWeek) {
                    return quartzDay == daysOfWeek.first() && day + 7 > length;
                }
                if (nthDayOfWeek != 0) {
                    return quartzDay == daysOfWeek.first() && (day - 1) / 7 + 1 == nthDayOfWeek;
                }
                return daysOfWeek.contains(quartzDay);
            }
            for (int value : daysOfMonth) {
                if (value == day || value > 31 && value <= LAST_DAY && length - (LAST_DAY - value) == day) {
                    return true;
                }
            }
            for (int value : nearestWeekdays) {
                int target = value <= 31 ? value : length - (LAST_DAY - value);
                if (target >= 1 && target <= length && nearestWeekday(date.withDayOfMonth(target)) == day) {
                    return true;
                }
            }
            return false;
        }, hours::contains, minutes::contains, seconds::contains, CronOracle.wildcardOrStep(f[2]));
    }

    /**
     * As Quartz documents 'W': the weekday nearest the day, within its month (a Saturday the 1st moves to Monday the
     * 3rd, a Sunday that ends the month to the Friday before).
     */
    private static int nearestWeekday(LocalDate target) {
        int day = target.getDayOfMonth();
        if (target.getDayOfWeek() == DayOfWeek.SATURDAY) {
            return day == 1 ? 3 : day - 1;
        }
        if (target.getDayOfWeek() == DayOfWeek.SUNDAY) {
            return day == target.lengthOfMonth() ? day - 2 : day + 1;
        }
        return day;
    }

    /** What of the accepted fields Quartz reads but ignores or misreads, or null. */
    private static String ignoredByQuartz(String[] f) {
        for (int i = 0; i < f.length; i++) {
            String[] items = f[i].split(",", -1);
            for (String item : items) {
                boolean question = (i == 3 || i == 5) && item.equals("?") && items.length == 1;
                boolean alone = i == 5 && items.length == 1 && ALONE.matcher(item).matches();
                if (!question && !alone && !ITEMS[i].matcher(item).matches()) {
                    return "'" + item + "' in field " + (i + 1);
                }
                if (ZERO_STEP.matcher(item).matches() || item.matches("0+W")
                        || (i >= 3 && i <= 5 && RANGE_TO_ZERO.matcher(item).matches())) {
                    return "'" + item + "' (a value out of range)";
                }
                if (i == 6 && !item.startsWith("*")) {
                    for (String year : item.split("/")[0].split("-")) {
                        if (Integer.parseInt(year) < 1970 || Integer.parseInt(year) > 2099) {
                            return "'" + item + "' (a year Cronstream computes no fire times for)";
                        }
                    }
                }
                Matcher nth = NTH.matcher(item);
                if (nth.matches() && (Integer.parseInt(nth.group(1)) < 1 || Integer.parseInt(nth.group(1)) > 7)) {
                    return "'" + item + "' (a day of the week out of range)";
                }
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static TreeSet<Integer> set(CronExpression quartz, String name) {
        return (TreeSet<Integer>) get(quartz, name);
    }

    private static Object get(CronExpression quartz, String name) {
        try {
            Field field = CronExpression.class.getDeclaredField(name);
            field.setAccessible(true);
            return field.get(quartz);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Quartz " + name, e);
        }
    }
}
