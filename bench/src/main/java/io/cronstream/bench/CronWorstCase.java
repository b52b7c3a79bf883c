package io.cronstream.bench;

import io.cronstream.ticker.job.JobDefinitionParser;
import io.cronstream.ticker.schedule.CronDialect;
import io.cronstream.ticker.schedule.CronSchedule;
import io.cronstream.ticker.schedule.JobSchedule;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * How long one input's schedule work takes at worst (issue 23, "bounded work per input"): crons within the limits
 * chosen to make the search long (never firing again, firing once by 2099, lists at their limits, every second
 * through repeated hours, day rules), in every zone {@code java.time} knows, from starts at the ends of the range and
 * around each zone's transitions. Times, per input: reading a job document (the parser, as the jobs topic, the API's
 * writes and the preview do: the cron compiled, its first fires, its description), one next fire and a preview's 50
 * fires, each the fastest of {@value #REPEATS} runs (so that a shared machine's pauses do not hide the computation's
 * own cost). Two passes: the first as in a fresh JVM, the second
 * warm. Prints the distribution and the slowest cases; asserts nothing (README, How the ticker behaves, states the
 * bound).
 *
 * <pre>mvn -q -pl bench -am compile exec:java -Dexec.mainClass=io.cronstream.bench.CronWorstCase</pre>
 */
public final class CronWorstCase {

    private record Cron(String expression, CronDialect dialect) {
    }

    /** One timed computation. */
    private record Sample(long nanos, String what) {
    }

    private static final int REPEATS = 5;
    private static final Instant NOW = Instant.parse("2026-12-07T00:00:00Z");
    private static final Instant[] ENDS = {Instant.parse("1970-01-01T00:00:00Z"), Instant.parse("2026-12-07T00:00:00Z"),
        Instant.parse("2099-12-30T00:00:00Z")};

    private CronWorstCase() {
    }

    public static void main(String[] args) {
        List<Cron> crons = crons();
        List<ZoneId> zones = new TreeSet<>(ZoneId.getAvailableZoneIds()).stream().map(ZoneId::of).toList();
        System.out.printf("%d crons x %d zones, starts at 1970, 2026, 2099 and around transitions%n", crons.size(),
                zones.size());
        for (String pass : List.of("cold", "warm")) {
            List<Sample> documents = new ArrayList<>();
            List<Sample> nexts = new ArrayList<>();
            List<Sample> previews = new ArrayList<>();
            JobDefinitionParser parser = new JobDefinitionParser(JobDefinitionParser.Defaults.standard());
            for (ZoneId zone : zones) {
                for (Cron cron : crons) {
                    String what = cron.expression() + " " + cron.dialect() + " " + zone;
                    // k leading spaces: the same schedule under a cache key of its own, compiled and described anew
                    documents.add(new Sample(fastest(k -> parser.parse(null, document(" ".repeat(k) + cron.expression(),
                            cron.dialect(), zone), NOW)), what));
                    CronSchedule schedule = CronSchedule.parse(cron.expression(), cron.dialect(), zone);
                    JobSchedule window = new JobSchedule(schedule, null, null, null);
                    for (Instant start : starts(zone)) {
                        nexts.add(new Sample(fastest(k -> schedule.nextAfter(start.plusSeconds(k))),
                                what + " after " + start));
                        schedule.nextAfter(start).ifPresent(first -> previews.add(new Sample(
                                fastest(k -> window.upcoming(first.plusSeconds(k), 0, 50)), what + " after " + start)));
                    }
                }
            }
            System.out.printf("%n%s pass%n", pass);
            report("job document read (cron compiled, first fires, description)", documents);
            report("one next fire", nexts);
            report("50 fires chained (a preview's most)", previews);
        }
    }

    /**
     * The fastest of {@value #REPEATS} runs of {@code computation} (each from a start a second later, so no answer is
     * remembered): the cost of the computation itself, without the pauses of a shared machine.
     */
    private static long fastest(IntConsumer computation) {
        long fastest = Long.MAX_VALUE;
        for (int k = 0; k < REPEATS; k++) {
            long t0 = System.nanoTime();
            computation.accept(k);
            fastest = Math.min(fastest, System.nanoTime() - t0);
        }
        return fastest;
    }

    private static void report(String title, List<Sample> samples) {
        samples.sort((a, b) -> Long.compare(a.nanos(), b.nanos()));
        long p50 = samples.get(samples.size() / 2).nanos();
        long p99 = samples.get((int) (samples.size() * 0.99)).nanos();
        System.out.printf("  %-60s n=%,d  p50=%.3f ms  p99=%.3f ms  max=%.3f ms%n", title, samples.size(), ms(p50),
                ms(p99), ms(samples.get(samples.size() - 1).nanos()));
        for (Sample slow : samples.subList(Math.max(0, samples.size() - 3), samples.size())) {
            System.out.printf("      %.3f ms  %s%n", ms(slow.nanos()), slow.what());
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static byte[] document(String expression, CronDialect dialect, ZoneId zone) {
        return ("{\"_id\": \"worst\", \"cronExpression\": \"" + expression + "\", \"cronType\": \"" + dialect
                + "\", \"timeZone\": \"" + zone.getId() + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** The ends of the range, and a second before and at the zone's first transitions after 2027 and after 2095. */
    private static List<Instant> starts(ZoneId zone) {
        List<Instant> starts = new ArrayList<>(List.of(ENDS));
        for (String from : List.of("2027-01-01T00:00:00Z", "2095-01-01T00:00:00Z")) {
            ZoneOffsetTransition next = zone.getRules().nextTransition(Instant.parse(from));
            if (next != null && next.getInstant().getEpochSecond() < ENDS[2].getEpochSecond()) {
                starts.add(next.getInstant().minusSeconds(1));
                starts.add(next.getInstant());
            }
        }
        return starts;
    }

    private static List<Cron> crons() {
        String sixty = numbers(0, 59);
        String hours = numbers(0, 23);
        List<Cron> crons = new ArrayList<>(List.of(
                // never fire: the walk goes to the end of 2099
                new Cron("0 0 30 2 *", CronDialect.UNIX),
                new Cron("0 0 31 4,6,9,11 *", CronDialect.UNIX),
                new Cron("0 0 0 31 2 ?", CronDialect.SPRING),
                new Cron("0 0 0 L-30 2 *", CronDialect.SPRING),
                new Cron("0 0 0 30W 2 ?", CronDialect.SPRING),
                new Cron("0 0 0 ? * MON#6", CronDialect.SPRING),
                new Cron("0 0 0 30 2 ?", CronDialect.QUARTZ),
                new Cron("0 0 0 L-30W 2 ? *", CronDialect.QUARTZ),
                // fire rarely, or once at the very end
                new Cron("0 0 0 29 2 MON", CronDialect.SPRING),
                new Cron("0 0 0 ? 2 SUN#5", CronDialect.SPRING),
                new Cron("59 59 23 31 12 ? 2099", CronDialect.QUARTZ),
                new Cron("0 0 12 ? * 6L 2099", CronDialect.QUARTZ),
                new Cron("0 0 0 ? 2 1#5 2089-2099", CronDialect.QUARTZ),
                // every second, through gaps and repeated hours, fixed and wildcard hour
                new Cron("* * * * * *", CronDialect.SPRING),
                new Cron("* * 0-23 * * ?", CronDialect.QUARTZ),
                new Cron("* * * * *", CronDialect.UNIX),
                new Cron("0-59 0-59 0,1,2,3,22,23 * * *", CronDialect.SPRING),
                // day rules in lists, wrapped ranges
                new Cron("0 0 0 1W,15W,LW,L-3,L-30,31W * 1#1,2#2,3L,SUN#5", CronDialect.SPRING),
                new Cron("0 0 22-2 ? * FRI-MON", CronDialect.QUARTZ),
                // lists at their limits, the expression at its length limit
                new Cron(sixty + " " + sixty + " " + hours + " ? * L", CronDialect.QUARTZ),
                new Cron(sixty + " " + hours + " " + numbers(1, 31) + " * *", CronDialect.UNIX)));
        for (Cron cron : crons) {
            if (cron.expression().length() > CronSchedule.MAX_LENGTH) {
                throw new IllegalStateException(cron.expression().length() + " characters: " + cron);
            }
        }
        return crons;
    }

    private static String numbers(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> String.format(Locale.ROOT, "%d", i))
                .collect(Collectors.joining(","));
    }
}
