package io.cronstream.ticker.schedule;

import com.cronutils.descriptor.CronDescriptor;
import com.cronutils.model.Cron;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.field.CronFieldName;
import com.cronutils.model.field.expression.Always;
import com.cronutils.model.field.expression.Every;
import com.cronutils.model.field.expression.FieldExpression;
import com.cronutils.model.time.ExecutionTime;
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
 * A cron schedule in a time zone, with the daylight-saving rule of DESIGN §5, which is better
 * than cron-utils' default:
 * <ul>
 *   <li>a fixed-hour time that does not exist (spring-forward gap) fires shifted by the gap, as
 *       {@code java.time} resolves it (02:30 on a 02:00→03:00 day fires at 03:30);</li>
 *   <li>a fixed-hour time that occurs twice (fall-back) fires once, at its first occurrence, so a
 *       restart or reschedule inside the repeated hour cannot fire it again;</li>
 *   <li>a schedule whose hour field is a wildcard or a step fires every real hour, both passes.</li>
 * </ul>
 */
public final class CronSchedule implements Schedule {

    private static final Map<CronDialect, CronParser> PARSERS = new EnumMap<>(CronDialect.class);
    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 1 1 *",
            "@annually", "0 0 1 1 *",
            "@monthly", "0 0 1 * *",
            "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *",
            "@midnight", "0 0 * * *",
            "@hourly", "0 * * * *");
    /** Bounds the walk over a repeated hour's second pass; a per-second cron has 3,600 there. */
    private static final int MAX_REPEATED_PASS_SKIPS = 4_000;

    static {
        for (CronDialect dialect : CronDialect.values()) {
            PARSERS.put(dialect, new CronParser(CronDefinitionBuilder.instanceDefinitionFor(dialect.cronType)));
        }
    }

    /**
     * Compiled schedules by (expression, declared dialect, zone), per thread (cron-utils does not promise its
     * execution times are safe to share): a million jobs use a handful of distinct crons, and parsing one costs
     * far more than firing it. Bounded, least recently used first out.
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
    private final CronDialect dialect;
    private final ZoneId zone;
    private final Cron cron;
    private final ExecutionTime execution;
    private final boolean fixedHour;
    /** {@link #describe}, computed once (the describer is slow and the instance is shared through the cache). */
    private String description;

    private CronSchedule(String expression, CronDialect dialect, ZoneId zone, Cron cron) {
        this.expression = expression;
        this.dialect = dialect;
        this.zone = zone;
        this.cron = cron;
        this.execution = ExecutionTime.forCron(cron);
        this.fixedHour = isFixed(cron.retrieve(CronFieldName.HOUR).getExpression());
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
        String trimmed = expression.trim();
        String effective = trimmed.startsWith("@") ? macro(trimmed) : trimmed;
        int fields = effective.isEmpty() ? 0 : effective.split("\\s+").length;
        CronDialect dialect = declared != null ? declared : CronDialect.forFieldCount(fields);
        if (dialect == null) {
            throw invalid(expression, "expected 5, 6 or 7 fields, got " + fields);
        }
        if (fields < dialect.minFields || fields > dialect.maxFields) {
            throw invalid(expression, "cronType " + dialect + " expects " + dialect.fieldCountText()
                    + " fields, got " + fields);
        }
        try {
            Cron cron = PARSERS.get(dialect).parse(effective).validate();
            return new CronSchedule(trimmed, dialect, zone, cron);
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
     * are kept. Without a fixed hour the answer depends on the whole second of {@code after} only (the search
     * starts from it), so that is the key; with one (daylight-saving shifts) the exact instant is.
     */
    @Override
    public Optional<Instant> nextAfter(Instant after) {
        Instant key = fixedHour ? after : after.truncatedTo(ChronoUnit.SECONDS);
        Memo last = memo;
        if (last != null && last.after().equals(key)) {
            return last.next();
        }
        Memo before = previousMemo;
        if (before != null && before.after().equals(key)) {
            return before.next();
        }
        Optional<Instant> next = computeNextAfter(after);
        previousMemo = last;
        memo = new Memo(key, next);
        return next;
    }

    private Optional<Instant> computeNextAfter(Instant after) {
        Instant from = after;
        for (int skips = 0; skips <= MAX_REPEATED_PASS_SKIPS; skips++) {
            // Cron has whole seconds, but cron-utils keeps the fraction of its start for '* * * * * *'
            // (from 12:00:04.689 it answers 12:00:05.689). From the whole second it is exact: the next
            // fire is strictly after that second, and none lies between it and 'from'.
            Optional<Instant> regular = execution.nextExecution(from.truncatedTo(ChronoUnit.SECONDS).atZone(zone))
                    .map(ZonedDateTime::toInstant);
            if (fixedHour) {
                Optional<Instant> shifted = firstShiftedGapFire(from, regular.orElse(null));
                if (shifted.isPresent() && (regular.isEmpty() || !shifted.get().isAfter(regular.get()))) {
                    return shifted;
                }
                if (regular.isPresent() && isSecondPassOfRepeatedHour(regular.get())) {
                    from = regular.get();
                    continue;
                }
            }
            return regular;
        }
        return Optional.empty();
    }

    /**
     * What the daylight-saving rule did to {@code fire}, a time this schedule gave, for a person to read: a
     * time that did not exist and fired shifted, or a time that occurs twice; empty when neither.
     */
    public Optional<String> daylightSavingNote(Instant fire) {
        ZonedDateTime local = fire.atZone(zone);
        ZoneOffsetTransition before = zone.getRules().previousTransition(fire.plusNanos(1));
        if (fixedHour && before != null && before.isGap() && !execution.isMatch(local)) {
            LocalDateTime nominal = local.toLocalDateTime().minus(before.getDuration());
            if (!nominal.isBefore(before.getDateTimeBefore()) && nominal.isBefore(before.getDateTimeAfter())) {
                return Optional.of(nominal.toLocalTime() + " does not exist on " + nominal.toLocalDate()
                        + " in " + zone.getId() + " (daylight saving starts): fires shifted by the gap, at "
                        + local.toLocalTime() + " " + local.getOffset());
            }
        }
        ZoneOffsetTransition overlap = zone.getRules().getTransition(local.toLocalDateTime());
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

    private String describeOnce() {
        String text;
        try {
            text = CronDescriptor.instance(Locale.ENGLISH).describe(cron);
        } catch (RuntimeException describerGaveUp) {
            text = "cron '" + expression + "'";
        }
        return text + " (" + zone.getId() + ")";
    }

    @Override
    public String toString() {
        return "CronSchedule[" + expression + " " + dialect + " " + zone + "]";
    }

    /** The earliest gap-shifted fire after {@code after} and not after {@code limit} (or within ~2 years). */
    private Optional<Instant> firstShiftedGapFire(Instant after, Instant limit) {
        ZoneRules rules = zone.getRules();
        if (rules.isFixedOffset()) {
            return Optional.empty();
        }
        ZoneOffsetTransition transition = rules.previousTransition(after.plusNanos(1));
        if (transition == null || !transition.isGap()
                || !transition.getInstant().plus(transition.getDuration()).isAfter(after)) {
            transition = rules.nextTransition(after);
        }
        Instant horizon = limit != null ? limit : after.plus(Duration.ofDays(800));
        while (transition != null && !transition.getInstant().isAfter(horizon)) {
            if (transition.isGap()) {
                Optional<Instant> fire = shiftedFireIn(transition, after);
                if (fire.isPresent()) {
                    return fire;
                }
            }
            transition = rules.nextTransition(transition.getInstant());
        }
        return Optional.empty();
    }

    /**
     * Local times inside a gap do not exist, so cron-utils never matches them; evaluate the cron on
     * the naked local time instead and resolve the match the way {@code java.time} does.
     */
    private Optional<Instant> shiftedFireIn(ZoneOffsetTransition gap, Instant after) {
        LocalDateTime end = gap.getDateTimeAfter();
        ZonedDateTime cursor = gap.getDateTimeBefore().minusNanos(1).atZone(ZoneOffset.UTC);
        while (true) {
            Optional<ZonedDateTime> match = execution.nextExecution(cursor);
            if (match.isEmpty() || !match.get().toLocalDateTime().isBefore(end)) {
                return Optional.empty();
            }
            Instant shifted = ZonedDateTime.ofLocal(match.get().toLocalDateTime(), zone, null).toInstant();
            if (shifted.isAfter(after)) {
                return Optional.of(shifted);
            }
            cursor = match.get();
        }
    }

    private boolean isSecondPassOfRepeatedHour(Instant instant) {
        ZonedDateTime local = instant.atZone(zone);
        ZoneOffsetTransition transition = zone.getRules().getTransition(local.toLocalDateTime());
        return transition != null && transition.isOverlap() && local.getOffset().equals(transition.getOffsetAfter());
    }

    private static boolean isFixed(FieldExpression hour) {
        return !(hour instanceof Always) && !(hour instanceof Every);
    }

    private static String macro(String text) {
        String cron = MACROS.get(text.toLowerCase(Locale.ROOT));
        if (cron == null) {
            throw invalid(text, "unknown macro, expected one of @yearly, @monthly, @weekly, @daily, @hourly");
        }
        return cron;
    }

    private static IllegalArgumentException invalid(String expression, String why) {
        return new IllegalArgumentException("Invalid cron expression '" + expression + "': " + why);
    }
}
