package io.cronstream.ticker;

import io.cronstream.streams.TimeIndex;

import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.schemas.DueEvent;
import io.cronstream.ticker.job.JobDefinition;
import io.cronstream.ticker.job.JobDefinitionParser;
import io.cronstream.ticker.job.ParsedJob;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A job whose fire fails inside the punctuation (here: a stored state the schedule code cannot compute with,
 * as a state written by an older version could be) is parked with its reason; the jobs due with it still fire,
 * and it does not fail again at every punctuation.
 */
class FireIsolationTest {

    private static final Instant START = Instant.parse("2026-01-05T10:00:30Z");

    private final TickerHarness ticker = new TickerHarness(START);

    @AfterEach
    void close() {
        ticker.close();
    }

    @Test
    void aJobThatFailsToFireIsParkedAndTheOthersDueWithItStillFire() {
        ticker.putJob("z-healthy", "{\"cron\": \"* * * * * *\"}");
        Instant due = ticker.job("z-healthy").nextFireAt();
        plantUnfireableJob("a-broken", due);

        for (int second = 0; second < 5; second++) {
            ticker.jump(Duration.ofSeconds(1));
        }

        assertThat(ticker.due()).extracting(DueEvent::jobId).containsExactly(
                "z-healthy", "z-healthy", "z-healthy", "z-healthy", "z-healthy");
        JobState parked = ticker.job("a-broken");
        assertThat(parked.definition().valid()).isFalse();
        assertThat(parked.definition().error()).contains("firing failed with java.lang.NullPointerException");
        assertThat(parked.nextFireAt()).isNull();
        assertThat(ticker.metric("jobs-parked-total")).isEqualTo(1.0);
        KeyValueStore<Object, Object> index = ticker.driver.getKeyValueStore(TickerTopology.SCHEDULE_STORE);
        try (var entries = index.all()) {
            assertThat(entries).toIterable().hasSize(1); // the healthy job's next fire only
        }

        // A new version of the document schedules it again.
        ticker.putJob("a-broken", "{\"cron\": \"* * * * * *\"}");
        ticker.jump(Duration.ofSeconds(1));
        assertThat(ticker.due()).extracting(DueEvent::jobId).containsExactlyInAnyOrder("a-broken", "z-healthy");
    }

    /** A valid Interval definition without its interval, straight into the stores: the parser never makes one. */
    private void plantUnfireableJob(String jobId, Instant dueAt) {
        JobDefinition parsed = ((ParsedJob.Defined) new JobDefinitionParser(JobDefinitionParser.Defaults.standard())
                .parse(jobId.getBytes(StandardCharsets.UTF_8), "{\"interval\": \"PT1M\"}".getBytes(StandardCharsets.UTF_8),
                        START)).definition();
        JobDefinition broken = parsed.with(b -> b.interval(null).valid(true).error(null));
        KeyValueStore<String, JobState> jobs = ticker.driver.getKeyValueStore(TickerTopology.JOBS_STORE);
        jobs.put(jobId, JobState.first(broken, START, dueAt));
        new TimeIndex(ticker.driver.getKeyValueStore(TickerTopology.SCHEDULE_STORE)).put(dueAt, jobId);
    }
}
