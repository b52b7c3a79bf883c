package io.cronstream.api;

import io.cronstream.api.CronOracle.Reading;
import java.lang.reflect.Field;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjuster;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.scheduling.support.CronExpression;

/**
 * Spring 6.2's reading: its {@code CronExpression} parses (or refuses) into fields, and each field decides whether a
 * date or a value matches: a field of bits by its bit, an {@code L}/{@code W}/{@code #} field by its own date rule
 * (its adjuster) applied to the date, a list by any of its items. Spring's walk is not used (it has its own nW and
 * daylight-saving behaviour: issue 24). Two differences, encoded here:
 * <ul>
 *   <li>{@code nW} never leaves the month and has no weekday in a month without day n, as Quartz documents it
 *       (Spring matches nothing when day n is a Sunday that ends the month, and the Friday before a day n the month
 *       does not have);</li>
 *   <li>a rule that lands outside the month ({@code L-40}, {@code WED#6}) matches nothing: Spring compares the day
 *       of the month only, so {@code WED#6} fired on the second Wednesday of a 28-day February and {@code L-40} on
 *       19 March. Cronstream matches the date the rule names.</li>
 * </ul>
 */
final class SpringOracle {

    private static final Map<String, String> HOURS_OF_MACROS = Map.of("@hourly", "*");
    private static final Pattern NEAREST_WEEKDAY = Pattern.compile("(\\d+)W");

    private SpringOracle() {
    }

    static Reading read(String expression) {
        CronExpression spring;
        try {
            spring = CronExpression.parse(expression);
        } catch (IllegalArgumentException e) {
            return Reading.refused("Spring: " + e.getMessage());
        }
        // Spring's order: day of week, month, day of month, hour, minute, second, nanos
        Object[] fields = (Object[]) get(spring, "fields");
        Predicate<LocalDate> dayOfWeek = dates(fields[0], date -> date.getDayOfWeek().getValue());
        IntPredicate months = values(fields[1]);
        Predicate<LocalDate> dayOfMonth = dates(fields[2], LocalDate::getDayOfMonth);
        String trimmed = expression.trim();
        String hourField = trimmed.startsWith("@")
                ? HOURS_OF_MACROS.getOrDefault(trimmed.toLowerCase(Locale.ROOT), "0") : trimmed.split(" +")[2];
        return new Reading(null,
                date -> months.test(date.getMonthValue()) && dayOfMonth.test(date) && dayOfWeek.test(date),
                values(fields[3]), values(fields[4]), values(fields[5]), CronOracle.wildcardOrStep(hourField));
    }

    private static IntPredicate values(Object field) {
        long bits = (Long) get(field, "bits");
        return value -> (bits & 1L << value) != 0;
    }

    private static Predicate<LocalDate> dates(Object field, ToIntFunction<LocalDate> value) {
        switch (field.getClass().getSimpleName()) {
            case "BitsCronField" -> {
                IntPredicate bits = values(field);
                return date -> bits.test(value.applyAsInt(date));
            }
            case "CompositeCronField" -> {
                Object[] items = (Object[]) get(field, "fields");
                Predicate<LocalDate> any = date -> false;
                for (Object item : items) {
                    any = any.or(dates(item, value));
                }
                return any;
            }
            default -> {
                TemporalAdjuster rule = (TemporalAdjuster) get(field, "adjuster");
                Matcher nearest = NEAREST_WEEKDAY.matcher((String) get(field, "value"));
                if (nearest.matches()) {
                    return withinTheMonth(Integer.parseInt(nearest.group(1)), date -> date.equals(rule.adjustInto(date)));
                }
                return date -> date.equals(namedDate(rule, date));
            }
        }
    }

    /**
     * The date a rule of the month ({@code L}, {@code LW}, {@code L-n}, {@code nL}, {@code n#k}) names for the month
     * of {@code date}. Spring answers the day it was given when the named date has the same day of the month, so the
     * rule is asked from the 1st and from the 2nd: one of the two answers is the named date itself.
     */
    private static LocalDate namedDate(TemporalAdjuster rule, LocalDate date) {
        LocalDate first = date.withDayOfMonth(1);
        LocalDate fromFirst = (LocalDate) rule.adjustInto(first);
        return fromFirst.equals(first) ? (LocalDate) rule.adjustInto(date.withDayOfMonth(2)) : fromFirst;
    }

    /** {@code nW} by design: no weekday without a day n; a Sunday that ends the month moves to the Friday before. */
    private static Predicate<LocalDate> withinTheMonth(int day, Predicate<LocalDate> spring) {
        return date -> {
            int length = date.lengthOfMonth();
            if (day > length) {
                return false;
            }
            if (day == length && date.withDayOfMonth(day).getDayOfWeek() == DayOfWeek.SUNDAY) {
                return date.getDayOfMonth() == day - 2;
            }
            return spring.test(date);
        };
    }

    private static Object get(Object owner, String name) {
        try {
            Field field = owner.getClass().getDeclaredField(name);
            field.setAccessible(true);
            return field.get(owner);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Spring " + owner.getClass().getSimpleName() + "." + name, e);
        }
    }
}
