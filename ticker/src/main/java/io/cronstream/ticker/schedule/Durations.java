package io.cronstream.ticker.schedule;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the duration spellings job documents use, and writes durations for people. */
public final class Durations {

    /** .NET TimeSpan text: {@code [-][d.]hh:mm:ss[.fffffff]}, as the seeds' C# services write it. */
    private static final Pattern TIME_SPAN =
            Pattern.compile("(-)?(?:(\\d+)\\.)?(\\d{1,2}):(\\d{1,2}):(\\d{1,2})(?:\\.(\\d{1,7}))?");

    private Durations() {
    }

    /**
     * ISO-8601 ({@code PT30M}, {@code P1D}), a number of seconds ({@code "90"}), or TimeSpan text
     * ({@code 00:30:00}). Throws {@link IllegalArgumentException} naming what was expected.
     */
    public static Duration parse(String text) {
        String trimmed = text.trim();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("expected a duration like 'PT30M', '1800' or '00:30:00', got ''");
        }
        if (trimmed.charAt(0) == 'P' || trimmed.charAt(0) == 'p' || trimmed.startsWith("-P")) {
            try {
                return Duration.parse(trimmed);
            } catch (DateTimeParseException e) {
                throw notADuration(text);
            }
        }
        Matcher span = TIME_SPAN.matcher(trimmed);
        if (span.matches()) {
            long days = span.group(2) == null ? 0 : Long.parseLong(span.group(2));
            int hours = Integer.parseInt(span.group(3));
            int minutes = Integer.parseInt(span.group(4));
            int seconds = Integer.parseInt(span.group(5));
            if (hours > 23 || minutes > 59 || seconds > 59) {
                throw notADuration(text);
            }
            String fraction = span.group(6) == null ? "0" : span.group(6);
            long nanos = Long.parseLong((fraction + "000000000").substring(0, 9));
            Duration d = Duration.ofDays(days).plusHours(hours).plusMinutes(minutes).plusSeconds(seconds).plusNanos(nanos);
            return span.group(1) == null ? d : d.negated();
        }
        try {
            return ofSeconds(new BigDecimal(trimmed));
        } catch (NumberFormatException e) {
            throw notADuration(text);
        }
    }

    public static Duration ofSeconds(BigDecimal seconds) {
        if (seconds.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE / 1_000_000_000L)) > 0) {
            throw new IllegalArgumentException("duration of " + seconds + " seconds is out of range");
        }
        return Duration.ofNanos(seconds.movePointRight(9).longValue());
    }

    /** "30 minutes", "1 hour 30 minutes", "2 days": what a person says. */
    public static String humanize(Duration d) {
        if (d.isZero()) {
            return "0 seconds";
        }
        StringBuilder out = new StringBuilder();
        append(out, d.toDaysPart(), "day");
        append(out, d.toHoursPart(), "hour");
        append(out, d.toMinutesPart(), "minute");
        append(out, d.toSecondsPart(), "second");
        append(out, d.toMillisPart(), "millisecond");
        return out.toString();
    }

    private static void append(StringBuilder out, long amount, String unit) {
        if (amount == 0) {
            return;
        }
        if (!out.isEmpty()) {
            out.append(' ');
        }
        out.append(amount).append(' ').append(unit).append(amount == 1 ? "" : "s");
    }

    private static IllegalArgumentException notADuration(String text) {
        return new IllegalArgumentException(
                "expected a duration like 'PT30M', '1800' (seconds) or '00:30:00', got '" + text + "'");
    }
}
