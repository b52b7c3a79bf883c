package io.cronstream.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The job set both schedulers get: {@code size} jobs that each fire once a minute, at second
 * {@code i % 60} (fire times spread evenly over the minute), in three cron dialects and eight time
 * zones (two with half- or three-quarter-hour offsets).
 *
 * <p>The first {@code hot} jobs fire from the start; the others ("cold") only from {@code coldStart}
 * on. Before {@code coldStart} every punctuation has the same number of jobs due ({@code hot / 60})
 * however many jobs are loaded — the fixed due count that shows the cost of a punctuation does not
 * grow with the job count. From {@code coldStart} on all {@code size} jobs fire: the sustained rate.
 */
record JobSet(int size, int hot, Instant coldStart) {

    static final List<String> ZONES = List.of("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata",
            "Australia/Adelaide", "America/Sao_Paulo", "Asia/Tokyo", "Pacific/Chatham");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The cron dialects of DESIGN §4. */
    enum Dialect {
        UNIX, SPRING, QUARTZ
    }

    /** One job, in the terms both schedulers understand. */
    record Job(String id, int second, Dialect dialect, String cron, String quartzCron, String zone, Instant startAt) {
    }

    Job job(int i) {
        int second = i % 60;
        int variant = (i / 60) % 3;
        String zone = ZONES.get((i / 180) % ZONES.size());
        Instant startAt = i < hot ? null : coldStart;
        String id = String.format("bench-%07d", i);
        if (variant == 0 && second == 0) {
            // Five-field UNIX cron has no seconds: it can only fire at second 0, where it belongs in the spread.
            return new Job(id, second, Dialect.UNIX, "* * * * *", "0 * * * * ?", zone, startAt);
        }
        return switch (variant) {
            case 0 -> new Job(id, second, Dialect.SPRING, second + " * * * * *", second + " * * * * ?", zone, startAt);
            case 1 -> new Job(id, second, Dialect.QUARTZ, second + " * * * * ?", second + " * * * * ?", zone, startAt);
            default -> new Job(id, second, Dialect.QUARTZ, second + " * * ? * * *", second + " * * ? * * *", zone,
                    startAt);
        };
    }

    /** The job as the MongoDB source connector puts it on {@code cronstream.jobs} (SimplifiedJson). */
    byte[] document(Job job) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("_id", job.id());
        doc.put("name", "bench job " + job.id());
        doc.put("jobType", "bench");
        doc.put("scheduleType", "Cron");
        doc.put("cronExpression", job.cron());
        doc.put("cronType", job.dialect().name());
        doc.put("timeZone", job.zone());
        doc.put("isEnabled", true);
        doc.put("parameters", Map.of("library", "lib-" + (job.second() % 7), "priority", job.second() % 3));
        if (job.startAt() != null) {
            doc.put("startAt", job.startAt().toString());
        }
        try {
            return JSON.writeValueAsBytes(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] key(Job job) {
        return job.id().getBytes(StandardCharsets.UTF_8);
    }

    /** How many fire times of the whole set fall in {@code [from, to)}: what a scheduler that keeps up emits. */
    long firesBetween(Instant from, Instant to, boolean coldIncluded) {
        long[] jobsPerSecond = new long[60];
        int counted = coldIncluded ? size : Math.min(hot, size);
        for (int s = 0; s < 60; s++) {
            jobsPerSecond[s] = counted / 60 + (s < counted % 60 ? 1 : 0);
        }
        long fires = 0;
        for (long t = ceilSecond(from); t < to.getEpochSecond() || (t == to.getEpochSecond() && to.getNano() > 0); t++) {
            fires += jobsPerSecond[(int) Math.floorMod(t, 60)];
        }
        return fires;
    }

    private static long ceilSecond(Instant instant) {
        return instant.getNano() == 0 ? instant.getEpochSecond() : instant.getEpochSecond() + 1;
    }
}
