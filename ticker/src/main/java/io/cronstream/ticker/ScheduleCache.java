package io.cronstream.ticker;

import io.cronstream.ticker.job.JobDefinition;
import io.cronstream.ticker.job.ScheduleType;
import io.cronstream.ticker.schedule.JobSchedule;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Compiled schedules by timing, so a punctuation does not re-parse a cron for every fire and jobs
 * that share a schedule share one compiled copy. One per processor: no locking needed.
 */
final class ScheduleCache {

    private record Key(JobDefinition.Timing timing, Instant anchor) {
    }

    private final Map<Key, JobSchedule> compiled;

    ScheduleCache(int capacity) {
        this.compiled = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, JobSchedule> eldest) {
                return size() > capacity;
            }
        };
    }

    JobSchedule of(JobState state) {
        JobDefinition definition = state.definition();
        // Only an interval without startAt counts from when the job was first seen: keying every job by that instant
        // gave each cron job a key of its own, so no two shared a compiled schedule and the cache thrashed.
        Instant anchor = definition.scheduleType() == ScheduleType.INTERVAL && definition.startAt() == null
                ? state.firstSeenAt() : null;
        return compiled.computeIfAbsent(new Key(definition.timing(), anchor),
                key -> definition.schedule(state.firstSeenAt()));
    }
}
