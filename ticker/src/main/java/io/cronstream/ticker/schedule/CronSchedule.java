package io.cronstream.ticker.schedule;

import com.cronutils.descriptor.CronDescriptor;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A cron schedule in a time zone, with the daylight-saving rule of DESIGN §5:
 * <ul>
 *   <li>a fixed-hour time that does not exist (spring-forward gap) fires shifted by the gap, as
 *       {@code java.time} resolves it (02:30 on a 02:00→03:00 day fires at 03:30);</li>
 *   <li>a fixed-hour time that occurs twice (fall-back) fires once, at its first occurrence, so a
 *       restart or reschedule inside the repeated hour cannot fire it again;</li>
 *   <li>a schedule whose hour field is a wildcard or a step fires every real hour, both passes.</li>
 * </ul>
 * Which local times match is {@link CronPattern}'s (read by {@link CronSyntax} in the job's dialect); this class
 * turns them into instants, one stretch of constant offset at a time: the regular times of each stretch, the
 * times of a gap shifted past it, the second pass of a repeated time left out for a fixed hour. A search costs the
 * months and offset changes between its start and its answer, at most up to {@value CronPattern#LAST_YEAR}.
 */
public final class CronSchedule implements Schedule {

    /** The longest cron expression accepted, in characters: real ones are a few dozen. */
    public static final int MAX_LENGTH = 512;
    /** Items of one field's list at most: no field has more values. */
    public static final int MAX_LIST_ITEMS = CronSyntax.MAX_LIST_ITEMS;

    private static final Map<CronDialect, CronParser> DESCRIPTION_PARSERS = new EnumMap<>(CronDialect.class);
    private static final Map<String, String> UNIX_MACROS = Map.of(
            "@yearly", "0 0 1 1 *",
            "@annually", "0 0 1 1 *",
            "@monthly", "0 0 1 * *",
            "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *",
            "@midnight", "0 0 * * *",
            "@hourly", "0 * * * *");
    /** No fire is searched for before this (local times start in 1970) nor after {@link #LAST_INSTANT}. */
    private static final Instant FIRST_INSTANT = Instant.parse("1969-12-30T00:00:00Z");
    private static final Instant LAST_INSTANT = CronPattern.END.toInstant(ZoneOffset.UTC).plus(Duration.ofDays(1));

    static {
        for (CronDialect dialect : CronDialect.values()) {
            DESCRIPTION_PARSERS.put(dialect, new CronParser(CronDefinitionBuilder.instanceDefinitionFor(dialect.cronType)));
        }
    }

    /**
     * Compiled schedules by (expression, declared dialect, zone), per thread (a schedule keeps its last answers):
     * a million jobs use a handful of distinct crons, and parsing one costs far more than firing it. Bounded, least
     * recently used first out.
     */
    private static final int CACHE_SIZE = 4_096;
    private static final ThreadLocal<Map<CacheKey, CronSchedule>> COMPILED = ThreadLocal.withInitial(
            () -> new java.util.LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<CacheKey, CronSchedule> eldest) {
                    return size() > CACHE_SIZE;
                }
            });

    private record CacheKey(String expression, CronDialect declared, ZoneId zone) {
    }

    private final String expression;
    /** The expression with a macro replaced by its fields. */
    private final String fields;
    private final CronDialect dialect;
    private final ZoneId zone;
    private final ZoneRules rules;
    private final CronPattern pattern;
    /** {@link #describe}, computed once (the describer is slow and the instance is shared through the cache). */
    private String description;

    private CronSchedule(String expression, String fields, CronDialect dialect, ZoneId zone, CronPattern pattern) {
        this.expression = expression;
        this.fields = fields;
        this.dialect = dialect;
        this.zone = zone;
        this.rules = zone.getRules();
        this.pattern = pattern;
    }

    /**
     * Parses {@code expression} in {@code declared} dialect, or by field count when null
     * (5 → UNIX, 6 → SPRING, 7 → QUARTZ). Throws {@link IllegalArgumentException} with a message a
     * person can act on: the expression, what was expected, what was seen.
     */
    public static CronSchedule parse(String expression, CronDialect declared, ZoneId zone) {
        Map<CacheKey, CronSchedule> cache = COMPILED.get();
        CacheKey key = new CacheKey(expression, declared, zone);
        CronSchedule cached = cache.get(key);
        if (cached == null) {
            cached = compile(expression, declared, zone); // a failure is not cached: it throws every time
            cache.put(key, cached);
        }
        return cached;
    }

    private static CronSchedule compile(String expression, CronDialect declared, ZoneId zone) {
        if (expression.length() > MAX_LENGTH) {
            throw invalid(expression, expression.length() + " characters, at most " + MAX_LENGTH + " are allowed");
        }
        String trimmed = expression.trim();
        CronDialect dialect = declared;
        String effective = trimmed;
        if (trimmed.startsWith("@")) {
            dialect = declared != null ? declared : CronDialect.UNIX;
            effective = macro(trimmed, dialect);
        }
        String[] split = effective.isEmpty() ? new String[0] : effective.split("\\s+");
        if (dialect == null) {
            dialect = CronDialect.forFieldCount(split.length);
            if (dialect == null) {
                throw invalid(expression, "expected 5, 6 or 7 fields, got " + split.length);
            }
        }
        if (split.length < dialect.minFields || split.length > dialect.maxFields) {
            throw invalid(expression, "cronType " + dialect + " expects " + dialect.fieldCountText()
                    + " fields, got " + split.length);
        }
        try {
            return new CronSchedule(trimmed, effective, dialect, zone, CronSyntax.read(split, dialect));
        } catch (IllegalArgumentException e) {
            throw invalid(expression, e.getMessage() + " (cronType " + dialect + ")");
        }
    }

    public String expression() {
        return expression;
    }

    public CronDialect dialect() {
        return dialect;
    }

    public ZoneId zone() {
        return zone;
    }

    /** An answer of {@link #nextAfter}: immutable, so a racing reader sees a whole one or none. */
    private record Memo(Instant after, Optional<Instant> next) {
    }

    private Memo memo;
    private Memo previousMemo;

    /**
     * Jobs that share a cron (a compiled schedule is shared through the cache) fire at the same times, and a job
     * being registered asks for its first fire in the parser and again when it is stored: the last two answers
     * are kept. An answer depends on the whole second of {@code after} only (fires are whole seconds).
     */
    @Override
    public Optional<Instant> nextAfter(Instant after) {
        Instant key = after.truncatedTo(ChronoUnit.SECONDS);
        Memo last = memo;
        if (last != null && last.after().equals(key)) {
            return last.next();
        }
        Memo before = previousMemo;
        if (before != null && before.after().equals(key)) {
            return before.next();
        }
        Optional<Instant> next = Optional.ofNullable(computeNextAfter(key));
        previousMemo = last;
        memo = new Memo(key, next);
        return next;
    }

    /** The first fire strictly after {@code after} (a whole second), or null. */
    private Instant computeNextAfter(Instant after) {
        if (after.isAfter(LAST_INSTANT)) {
            return null;
        }
        Instant from = after.isBefore(FIRST_INSTANT) ? FIRST_INSTANT : after;
        ZoneOffset offset = rules.getOffset(from);
        LocalDateTime low = LocalDateTime.ofEpochSecond(from.getEpochSecond() + 1, 0, offset);
        if (rules.isFixedOffset()) {
            return at(pattern.next(low, CronPattern.END), offset);
        }
        boolean fixedHour = !pattern.wildcardHour();
        Instant best = null;
        ZoneOffsetTransition opening = rules.previousTransition(from.plusNanos(1));
        Instant stretchStart = from;
        while (true) {
            if (opening != null && fixedHour) {
                if (opening.isOverlap() && low.isBefore(opening.getDateTimeBefore())) {
                    low = opening.getDateTimeBefore(); // the second pass of a repeated time: it fired in the first
                } else if (opening.isGap()) {
                    best = earlier(best, gapFire(opening, from));
                }
            }
            ZoneOffsetTransition closing = rules.nextTransition(stretchStart);
            LocalDateTime high = closing == null ? CronPattern.END : closing.getDateTimeBefore();
            if (low.isBefore(high)) {
                best = earlier(best, at(pattern.next(low, high), offset));
            }
            // every fire of a later stretch (its gap's shifted ones included) comes at or after its start
            if (closing == null || best != null && !best.isAfter(closing.getInstant())
                    || closing.getInstant().isAfter(LAST_INSTANT)) {
                return best;
            }
            // Stretches with no matching local time are passed over: the next one to look at holds the first
            // local match (a day's margin either side covers any offset and any gap).
            LocalDateTime ahead = pattern.next(closing.getDateTimeAfter().minusDays(2), CronPattern.END);
            if (ahead == null) {
                return best;
            }
            Instant resume = ahead.toInstant(ZoneOffset.UTC).minus(Duration.ofDays(2));
            if (resume.isAfter(closing.getInstant())) {
                if (best != null && !best.isAfter(resume)) {
                    return best;
                }
                opening = rules.previousTransition(resume.plusNanos(1));
                stretchStart = resume;
                offset = rules.getOffset(resume);
                low = LocalDateTime.ofEpochSecond(resume.getEpochSecond(), 0, offset);
            } else {
                opening = closing;
                stretchStart = closing.getInstant();
                offset = closing.getOffsetAfter();
                low = closing.getDateTimeAfter();
            }
        }
    }

    /**
     * The first time inside {@code gap} that fires after {@code after}: a time that does not exist fires shifted by
     * the gap, that is at its local time read with the offset before the gap.
     */
    private Instant gapFire(ZoneOffsetTransition gap, Instant after) {
        LocalDateTime low = LocalDateTime.ofEpochSecond(after.getEpochSecond() + 1, 0, gap.getOffsetBefore());
        if (low.isBefore(gap.getDateTimeBefore())) {
            low = gap.getDateTimeBefore();
        }
        return low.isBefore(gap.getDateTimeAfter())
                ? at(pattern.next(low, gap.getDateTimeAfter()), gap.getOffsetBefore()) : null;
    }

    private static Instant at(LocalDateTime local, ZoneOffset offset) {
        return local == null ? null : local.toInstant(offset);
    }

    private static Instant earlier(Instant a, Instant b) {
        return a == null || b != null && b.isBefore(a) ? b : a;
    }

    /**
     * What the daylight-saving rule did to {@code fire}, a time this schedule gave, for a person to read: a
     * time that did not exist and fired shifted, or a time that occurs twice; empty when neither.
     */
    public Optional<String> daylightSavingNote(Instant fire) {
        boolean fixedHour = !pattern.wildcardHour();
        ZonedDateTime local = fire.atZone(zone);
        ZoneOffsetTransition before = rules.previousTransition(fire.plusNanos(1));
        if (fixedHour && before != null && before.isGap() && !pattern.matches(local.toLocalDateTime())) {
            LocalDateTime nominal = local.toLocalDateTime().minus(before.getDuration());
            if (!nominal.isBefore(before.getDateTimeBefore()) && nominal.isBefore(before.getDateTimeAfter())) {
                return Optional.of(nominal.toLocalTime() + " does not exist on " + nominal.toLocalDate()
                        + " in " + zone.getId() + " (daylight saving starts): fires shifted by the gap, at "
                        + local.toLocalTime() + " " + local.getOffset());
            }
        }
        ZoneOffsetTransition overlap = rules.getTransition(local.toLocalDateTime());
        if (overlap != null && overlap.isOverlap()) {
            return Optional.of(local.toLocalTime() + " occurs twice on " + local.toLocalDate() + " in " + zone.getId()
                    + " (daylight saving ends): " + (fixedHour ? "fires at its first occurrence only ("
                    + overlap.getOffsetBefore() + ")" : "fires in both passes of the repeated hour"));
        }
        return Optional.empty();
    }

    @Override
    public boolean recurring() {
        return true;
    }

    @Override
    public String describe() {
        if (description == null) {
            description = describeOnce();
        }
        return description;
    }

    /** cron-utils' words when it reads the expression too; otherwise the expression itself. */
    private String describeOnce() {
        String text;
        try {
            text = CronDescriptor.instance(Locale.ENGLISH).describe(DESCRIPTION_PARSERS.get(dialect).parse(fields));
        } catch (RuntimeException describerGaveUp) {
            text = "cron '" + expression + "'";
        }
        return text + " (" + zone.getId() + ")";
    }

    @Override
    public String toString() {
        return "CronSchedule[" + expression + " " + dialect + " " + zone + "]";
    }

    private static String macro(String text, CronDialect dialect) {
        String unix = UNIX_MACROS.get(text.toLowerCase(Locale.ROOT));
        if (unix == null) {
            throw invalid(text, "unknown macro, expected one of @yearly, @monthly, @weekly, @daily, @hourly");
        }
        return switch (dialect) {
            case UNIX -> unix;
            case SPRING -> "0 " + unix; // Spring's macros are the same times with a seconds field
            case QUARTZ -> throw invalid(text, "cronType QUARTZ has no macros; write the fields, e.g. 0 0 0 * * ?");
        };
    }

    private static IllegalArgumentException invalid(String expression, String why) {
        return new IllegalArgumentException("Invalid cron expression '" + CronSyntax.shorten(expression) + "': " + why);
    }
}
