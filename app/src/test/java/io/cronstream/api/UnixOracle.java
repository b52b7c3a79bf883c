package io.cronstream.api;

import io.cronstream.api.CronOracle.Reading;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Vixie cron's reading of five fields, written from its man page and {@code entry.c}, field by field into a table
 * of booleans: lists of {@code *}, {@code n}, {@code a-b}, each with an optional {@code /step}; names of months and
 * days (in ranges too); day of week 0-7 with 0 and 7 Sunday; a day field that starts with {@code *} leaves the
 * other one to decide, two restricted day fields match when either does. Cronstream adds one form by design:
 * {@code a/step} runs from a to the end of the field (Vixie refuses it; Quartz, Spring and cron-utils take it).
 */
final class UnixOracle {

    private static final Pattern ITEM = Pattern.compile("(\\*|([0-9A-Za-z]+)(?:-([0-9A-Za-z]+))?)(?:/([0-9]+))?");
    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP",
            "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

    private UnixOracle() {
    }

    private static final class Refused extends Exception {
        Refused(String why) {
            super(why, null, false, false);
        }
    }

    static Reading read(String[] f) {
        try {
            boolean[] minutes = table(f[0], 0, 59, List.of(), 0);
            boolean[] hours = table(f[1], 0, 23, List.of(), 0);
            boolean[] daysOfMonth = table(f[2], 1, 31, List.of(), 0);
            boolean[] months = table(f[3], 1, 12, MONTHS, 1);
            boolean[] daysOfWeek = table(f[4], 0, 7, DAYS, 0);
            daysOfWeek[0] |= daysOfWeek[7];
            boolean either = !f[2].startsWith("*") && !f[4].startsWith("*");
            return new Reading(null, date -> {
                boolean byMonth = daysOfMonth[date.getDayOfMonth()];
                boolean byWeek = daysOfWeek[date.getDayOfWeek().getValue() % 7];
                return months[date.getMonthValue()] && (either ? byMonth || byWeek : byMonth && byWeek);
            }, h -> hours[h], m -> minutes[m], s -> s == 0, CronOracle.wildcardOrStep(f[1]));
        } catch (Refused refused) {
            return Reading.refused(refused.getMessage());
        }
    }

    private static boolean[] table(String field, int min, int max, List<String> names, int firstName) throws Refused {
        boolean[] table = new boolean[max + 1];
        for (String item : field.split(",", -1)) {
            Matcher m = ITEM.matcher(item);
            if (!m.matches()) {
                throw new Refused("item '" + item + "'");
            }
            int step = m.group(4) == null ? 1 : number(m.group(4));
            if (step < 1) {
                throw new Refused("step 0");
            }
            int from;
            int to;
            if (m.group(1).equals("*")) {
                from = min;
                to = max;
            } else {
                from = value(m.group(2), min, max, names, firstName);
                to = m.group(3) != null ? value(m.group(3), min, max, names, firstName)
                        : m.group(4) != null ? max : from;
                if (from > to) {
                    throw new Refused("backwards range");
                }
            }
            for (int v = from; v <= to; v += step) {
                table[v] = true;
            }
        }
        return table;
    }

    private static int value(String text, int min, int max, List<String> names, int firstName) throws Refused {
        int v;
        if (Character.isDigit(text.charAt(0))) {
            if (!text.chars().allMatch(Character::isDigit)) {
                throw new Refused("not a number: " + text);
            }
            v = number(text);
        } else {
            int index = names.indexOf(text.toUpperCase(Locale.ROOT));
            if (index < 0) {
                throw new Refused("not a name: " + text);
            }
            v = index + firstName;
        }
        if (v < min || v > max) {
            throw new Refused("out of range: " + v);
        }
        return v;
    }

    private static int number(String digits) throws Refused {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new Refused("too large: " + digits);
        }
    }
}
