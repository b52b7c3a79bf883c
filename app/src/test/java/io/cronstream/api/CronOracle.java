package io.cronstream.api;

import io.cronstream.ticker.schedule.CronDialect;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.function.Predicate;

/**
 * Which wall-clock times a cron expression matches, decided by each dialect's own reading: Quartz 2.5.2's
 * {@code CronExpression} ({@link QuartzOracle}), Spring 6.2's ({@link SpringOracle}), a brute-force reading of Vixie
 * cron ({@link UnixOracle}). Cronstream's own rules on top, the same for every dialect, are applied here: the
 * length and list limits, the field count that picks the dialect, the macros. Each oracle says where Cronstream
 * differs from its library by design.
 */
final class CronOracle {

    static final int MAX_LENGTH = 512;
    static final int MAX_LIST_ITEMS = 60;

    /**
     * An expression as a dialect reads it: refused (with why), or the predicates of each field. A day matches
     * when {@code day} says so; a time of day when its hour, minute and second each match.
     */
    record Reading(String refusal, Predicate<LocalDate> day, IntPredicate hour, IntPredicate minute,
            IntPredicate second, boolean wildcardHour) {

        static Reading refused(String why) {
            return new Reading(why, null, null, null, null, false);
        }

        boolean accepted() {
            return refusal == null;
        }
    }

    private static final Map<String, String> UNIX_MACROS = Map.of("@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *",
            "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0", "@daily", "0 0 * * *", "@midnight", "0 0 * * *",
            "@hourly", "0 * * * *");

    private CronOracle() {
    }

    /** {@code expression} in {@code declared} dialect, or the one its field count names (5, 6, 7). */
    static Reading read(String expression, CronDialect declared) {
        if (expression.length() > MAX_LENGTH) {
            return Reading.refused("longer than " + MAX_LENGTH);
        }
        String trimmed = expression.trim();
        CronDialect dialect = declared;
        String fields = trimmed;
        if (trimmed.startsWith("@")) {
            if (dialect == null) {
                dialect = CronDialect.UNIX;
            }
            String unix = UNIX_MACROS.get(trimmed.toLowerCase(Locale.ROOT));
            if (dialect == CronDialect.UNIX) {
                if (unix == null) {
                    return Reading.refused("unknown macro");
                }
                fields = unix;
            }
        }
        String[] split = fields.isEmpty() ? new String[0] : fields.split(" +");
        if (dialect == null) {
            dialect = switch (split.length) {
                case 5 -> CronDialect.UNIX;
                case 6 -> CronDialect.SPRING;
                case 7 -> CronDialect.QUARTZ;
                default -> null;
            };
            if (dialect == null) {
                return Reading.refused("field count");
            }
        }
        for (String field : split) {
            if (field.chars().filter(c -> c == ',').count() + 1 > MAX_LIST_ITEMS) {
                return Reading.refused("more than " + MAX_LIST_ITEMS + " list items");
            }
        }
        return switch (dialect) {
            case UNIX -> split.length == 5 ? UnixOracle.read(split) : Reading.refused("UNIX has 5 fields");
            case SPRING -> SpringOracle.read(trimmed);
            case QUARTZ -> QuartzOracle.read(trimmed);
        };
    }

    /**
     * DESIGN §5 names a schedule whose hour field is a wildcard or a step: every item of that field is {@code *} or
     * has a step.
     */
    static boolean wildcardOrStep(String hourField) {
        for (String item : hourField.split(",", -1)) {
            if (!item.equals("*") && !item.contains("/")) {
                return false;
            }
        }
        return true;
    }
}
