package io.cronstream.api;

import io.cronstream.ticker.schedule.CronDialect;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Generated schedules: an expression of one dialect (valid or not: lists, ranges, steps, names, {@code L},
 * {@code LW}, {@code nW}, {@code n#k}, {@code ?}, years, macros, and the mistakes people make), a zone weighted
 * toward daylight-saving oddities, a start on or around one of its transitions, and how many fires to compare.
 * Not generated: signs and non-ASCII digits in numbers ({@code +5}), which Spring's {@code Integer.parseInt}
 * accepts and Cronstream refuses, and tabs between fields, which Spring does not split on.
 */
final class CronCases {

    /** One generated case. {@code declared}: the document names its cronType (else its field count does). */
    record Case(CronDialect dialect, boolean declared, String expression, ZoneId zone, Instant start, int count) {
        @Override
        public String toString() {
            return "{\"cronExpression\": \"" + expression + "\"" + (declared ? ", \"cronType\": \"" + dialect + "\"" : "")
                    + ", \"timeZone\": \"" + zone + "\"} from " + start + ", " + count + " fires";
        }
    }

    /** Half-hour, 45-minute, negative, midnight and two-hour transitions first, then the usual ones. */
    private static final List<String> ODD_ZONES = List.of("Australia/Lord_Howe", "Pacific/Chatham", "Europe/Dublin",
            "America/Santiago", "America/Havana", "Asia/Tehran", "Antarctica/Troll");
    private static final List<String> USUAL_ZONES = List.of("UTC", "Europe/Berlin", "America/New_York",
            "Europe/London", "Australia/Sydney", "Asia/Kolkata", "Asia/Kathmandu", "America/St_Johns",
            "America/Sao_Paulo", "Pacific/Apia", "Africa/Casablanca", "Asia/Gaza", "America/Asuncion",
            "Pacific/Kiritimati", "America/Nuuk");
    private static final Instant FIRST = Instant.parse("1971-01-01T00:00:00Z");
    private static final Instant LAST = Instant.parse("2098-12-01T00:00:00Z");
    private static final Map<ZoneId, List<Instant>> TRANSITIONS = new ConcurrentHashMap<>();
    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP",
            "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
    private static final List<String> MACROS = List.of("@yearly", "@annually", "@monthly", "@weekly", "@daily",
            "@midnight", "@hourly", "@DAILY", "@reboot", "@every");
    private static final List<String> JUNK = List.of("X", "5X", "", "*/0", "-5", "1--2", "L", "W", "#", "?", "MONDAY",
            "5-", "/5", "*X", "?X", "15WX", "0W", "8#1", "L-W", "5/0", "1-5/0", "3-0", "*-5", "1-2-3", "JAN/2", "MON-5",
            "L-31", "L-30W", "6#6", "0L", "LW5", "5,", "1#2,3", "SUN-SUN", "7-7", "5L-2");

    private enum Kind { SECOND, MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK, YEAR }

    private CronCases() {
    }

    static Arbitrary<Case> of(CronDialect dialect) {
        return Arbitraries.randomValue(random -> new Generator(random, dialect).next());
    }

    /** One case from one jqwik random. */
    private static final class Generator {
        private final Random random;
        private final CronDialect dialect;
        private int startYear;

        Generator(Random random, CronDialect dialect) {
            this.random = random;
            this.dialect = dialect;
        }

        Case next() {
            ZoneId zone = ZoneId.of(random.nextInt(3) < 2 ? pick(ODD_ZONES) : pick(USUAL_ZONES));
            Instant start = start(zone);
            startYear = start.atZone(zone).getYear();
            String expression = expression();
            int fields = expression.trim().isEmpty() ? 0 : expression.trim().split(" +").length;
            boolean countNames = !expression.trim().startsWith("@") && fields == switch (dialect) {
                case UNIX -> 5;
                case SPRING -> 6;
                case QUARTZ -> 7;
            };
            boolean declared = !countNames || random.nextInt(3) > 0;
            int count = random.nextInt(20) == 0 ? 50 : 1 + random.nextInt(12);
            return new Case(dialect, declared, expression, zone, start, count);
        }

        /** Mostly on and around a transition of the zone (the day before, the instant itself, a second apart). */
        private Instant start(ZoneId zone) {
            List<Instant> transitions = TRANSITIONS.computeIfAbsent(zone, CronCases::transitions);
            if (transitions.isEmpty() || random.nextInt(5) == 0) {
                return FIRST.plusSeconds((long) (random.nextDouble() * Duration.between(FIRST, LAST).toSeconds()));
            }
            Instant at = pick(transitions);
            return switch (random.nextInt(6)) {
                case 0 -> at;
                case 1 -> at.plusSeconds(random.nextInt(3) - 1);
                case 2 -> at.plusSeconds(random.nextInt(6 * 3600) - 3 * 3600);
                case 3 -> at.plusSeconds(random.nextInt(6 * 86_400) - 3 * 86_400);
                case 4 -> ZonedDateTime.ofInstant(at, zone).toLocalDate().minusDays(random.nextInt(4))
                        .atStartOfDay(zone).toInstant();
                default -> at.plusMillis(random.nextInt(2 * 86_400_000) - 86_400_000L);
            };
        }

        private String expression() {
            int shape = random.nextInt(40);
            if (shape == 0 && dialect != CronDialect.QUARTZ || shape == 1 && dialect == CronDialect.QUARTZ) {
                return pick(MACROS);
            }
            List<String> fields = new ArrayList<>();
            switch (dialect) {
                case UNIX -> {
                    fields.add(field(Kind.MINUTE));
                    fields.add(field(Kind.HOUR));
                    fields.add(random.nextInt(3) == 0 ? field(Kind.DAY_OF_MONTH) : "*");
                    fields.add(random.nextInt(3) == 0 ? field(Kind.MONTH) : "*");
                    fields.add(random.nextInt(3) == 0 ? field(Kind.DAY_OF_WEEK) : "*");
                }
                case SPRING -> {
                    fields.add(seconds());
                    fields.add(field(Kind.MINUTE));
                    fields.add(field(Kind.HOUR));
                    fields.add(random.nextInt(3) == 0 ? field(Kind.DAY_OF_MONTH) : pick(List.of("*", "?")));
                    fields.add(random.nextInt(3) == 0 ? field(Kind.MONTH) : "*");
                    fields.add(random.nextInt(3) == 0 ? field(Kind.DAY_OF_WEEK) : pick(List.of("*", "?")));
                }
                case QUARTZ -> {
                    fields.add(seconds());
                    fields.add(field(Kind.MINUTE));
                    fields.add(field(Kind.HOUR));
                    int days = random.nextInt(10);
                    String specific = days < 4 ? "*" : field(days < 7 ? Kind.DAY_OF_MONTH : Kind.DAY_OF_WEEK);
                    boolean byMonthDay = days < 7;
                    fields.add(days == 9 ? pick(List.of("?", "*", "1")) : byMonthDay ? specific : "?");
                    fields.add(random.nextInt(3) == 0 ? field(Kind.MONTH) : "*");
                    fields.add(days == 9 ? pick(List.of("?", "*", "MON")) : byMonthDay ? "?" : specific);
                    if (random.nextInt(3) > 0) {
                        fields.add(random.nextInt(3) == 0 ? field(Kind.YEAR) : "*");
                    }
                }
            }
            if (shape == 2) {
                fields.remove(random.nextInt(fields.size()));
            } else if (shape == 3) {
                fields.add(random.nextInt(fields.size() + 1), field(Kind.MINUTE));
            } else if (shape == 4) {
                int at = random.nextInt(fields.size());
                fields.set(at, "0".repeat(500) + fields.get(at)); // over the length limit
            }
            String separator = random.nextInt(20) == 0 ? "  " : " ";
            return (random.nextInt(30) == 0 ? " " : "") + String.join(separator, fields);
        }

        private String seconds() {
            return random.nextInt(10) < 7 ? "0" : field(Kind.SECOND);
        }

        private String field(Kind kind) {
            int size = random.nextInt(100);
            int items = size < 75 ? 1 : size < 99 ? 2 + random.nextInt(3) : 58 + random.nextInt(5);
            List<String> list = new ArrayList<>();
            for (int i = 0; i < items; i++) {
                list.add(random.nextInt(40) == 0 ? pick(JUNK) : item(kind));
            }
            return String.join(",", list);
        }

        private String item(Kind kind) {
            int min = min(kind);
            int max = max(kind);
            int choice = random.nextInt(20);
            boolean days = kind == Kind.DAY_OF_MONTH || kind == Kind.DAY_OF_WEEK;
            if (days && dialect != CronDialect.UNIX && choice < 4) {
                return special(kind);
            }
            if ((kind == Kind.MONTH || kind == Kind.DAY_OF_WEEK) && choice < 6) {
                List<String> names = kind == Kind.MONTH ? MONTHS : DAYS;
                int a = random.nextInt(names.size());
                int b = random.nextInt(names.size());
                if (dialect != CronDialect.QUARTZ && random.nextInt(5) > 0) { // only Quartz wraps a backwards range
                    int low = Math.min(a, b);
                    b = Math.max(a, b);
                    a = low;
                }
                return cased(names.get(a)) + (random.nextBoolean() ? "" : "-" + cased(names.get(b)));
            }
            return switch (choice % 8) {
                case 0 -> "*";
                case 1, 2 -> Integer.toString(value(kind));
                case 3 -> {
                    int a = value(kind);
                    int b = value(kind);
                    yield Math.min(a, b) + "-" + (random.nextInt(8) == 0 ? Math.min(a, b) : Math.max(a, b));
                }
                case 4 -> dialect == CronDialect.QUARTZ || random.nextInt(4) == 0
                        ? value(kind) + "-" + value(kind) // may run backwards: Quartz wraps, the others refuse
                        : Integer.toString(value(kind));
                case 5 -> "*/" + step(max - min);
                case 6 -> value(kind) + "/" + step(max - min);
                default -> Math.min(value(kind), value(kind)) + "-" + max + "/" + step(max - min);
            };
        }

        private String special(Kind kind) {
            int n = random.nextInt(35);
            if (kind == Kind.DAY_OF_MONTH) {
                return switch (random.nextInt(6)) {
                    case 0 -> "L";
                    case 1 -> "LW";
                    case 2 -> "L-" + random.nextInt(33);
                    case 3 -> "L-" + random.nextInt(33) + "W";
                    default -> (random.nextInt(3) == 0 ? 26 + random.nextInt(7) : n) + "W";
                };
            }
            String day = random.nextInt(3) == 0 ? cased(pick(DAYS)) : Integer.toString(random.nextInt(9));
            return switch (random.nextInt(4)) {
                case 0 -> "L";
                case 1 -> day + "L";
                default -> day + "#" + random.nextInt(7);
            };
        }

        private int value(Kind kind) {
            int min = min(kind);
            int max = max(kind);
            if (random.nextInt(60) == 0) {
                return random.nextBoolean() ? max + 1 + random.nextInt(3) : Math.max(0, min - 1);
            }
            return switch (kind) {
                case HOUR -> random.nextBoolean() ? pick(List.of(0, 1, 2, 3, 22, 23)) : random.nextInt(24);
                case MINUTE, SECOND -> random.nextBoolean() ? pick(List.of(0, 15, 30, 45, 29, 44, 59))
                        : random.nextInt(60);
                case DAY_OF_MONTH -> random.nextBoolean() ? 26 + random.nextInt(6) : 1 + random.nextInt(31);
                case YEAR -> random.nextInt(8) == 0 ? 1969 + random.nextInt(240) : startYear - 1 + random.nextInt(4);
                default -> min + random.nextInt(max - min + 1);
            };
        }

        private int step(int span) {
            return random.nextInt(8) == 0 ? random.nextInt(span + 4)
                    : pick(List.of(1, 2, 3, 5, 7, 10, 15, 30).stream().filter(step -> step <= span).toList());
        }

        private int min(Kind kind) {
            return switch (kind) {
                case DAY_OF_MONTH, MONTH -> 1;
                case DAY_OF_WEEK -> dialect == CronDialect.QUARTZ ? 1 : 0;
                case YEAR -> 1970;
                default -> 0;
            };
        }

        private int max(Kind kind) {
            return switch (kind) {
                case SECOND, MINUTE -> 59;
                case HOUR -> 23;
                case DAY_OF_MONTH -> 31;
                case MONTH -> 12;
                case DAY_OF_WEEK -> 7;
                case YEAR -> 2199;
            };
        }

        private String cased(String name) {
            return random.nextInt(4) == 0 ? name.toLowerCase(Locale.ROOT) : name;
        }

        private <T> T pick(List<T> items) {
            return items.get(random.nextInt(items.size()));
        }
    }

    private static List<Instant> transitions(ZoneId zone) {
        List<Instant> all = new ArrayList<>();
        for (ZoneOffsetTransition t = zone.getRules().nextTransition(FIRST); t != null && t.getInstant().isBefore(LAST);
                t = zone.getRules().nextTransition(t.getInstant())) {
            all.add(t.getInstant());
        }
        return all;
    }
}
