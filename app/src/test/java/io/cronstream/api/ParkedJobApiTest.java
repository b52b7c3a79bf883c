package io.cronstream.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cronstream.schemas.DueEvent;
import io.cronstream.streams.TimeIndex;
import io.cronstream.ticker.JobNames;
import io.cronstream.ticker.JobState;
import io.cronstream.ticker.TickerTopology;
import io.cronstream.ticker.job.JobDefinition;
import io.cronstream.ticker.job.JobDefinitionParser;
import io.cronstream.ticker.job.ParsedJob;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A job whose fire fails is parked where an operator looks: the API shows it {@code valid: false} with the
 * reason, alone and in the list, while the job due with it keeps firing.
 */
class ParkedJobApiTest {

    private static final String AUTH = "Bearer " + DriverHarness.TOKEN;

    private final DriverHarness harness = new DriverHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void aParkedJobAnswersInvalidWithItsReasonAndTheOthersFire() {
        harness.putJob("z-healthy", "{\"name\": \"healthy\", \"cron\": \"* * * * * *\"}");
        Instant due = harness.start().plusSeconds(1);
        plantUnfireableJob("a-broken", due);

        harness.advance(Duration.ofSeconds(3));

        JsonNode broken = Http.get(harness.url("/api/v1/jobs/a-broken"), "Authorization", AUTH).json();
        assertThat(broken.get("valid").asBoolean()).isFalse();
        assertThat(broken.get("error").asText()).contains("firing failed with java.lang.NullPointerException");
        assertThat(broken.get("nextFireAt").isNull()).isTrue();

        JsonNode list = Http.get(harness.url("/api/v1/jobs"), "Authorization", AUTH).json();
        List<String> invalid = new ArrayList<>();
        list.get("items").forEach(job -> {
            if (!job.get("valid").asBoolean()) {
                invalid.add(job.get("jobId").asText());
            }
        });
        assertThat(invalid).containsExactly("a-broken");
        assertThat(harness.dueEvents()).extracting(DueEvent::jobId).containsOnly("z-healthy").hasSize(3);
    }

    /** A valid Interval definition without its interval, straight into the stores (and their indexes): the parser never makes one. */
    private void plantUnfireableJob(String jobId, Instant dueAt) {
        JobDefinition parsed = ((ParsedJob.Defined) new JobDefinitionParser(JobDefinitionParser.Defaults.standard())
                .parse(jobId.getBytes(StandardCharsets.UTF_8),
                        "{\"name\": \"broken\", \"interval\": \"PT1M\"}".getBytes(StandardCharsets.UTF_8),
                        harness.start())).definition();
        JobDefinition broken = parsed.with(b -> b.interval(null));
        KeyValueStore<String, JobState> jobs = harness.driver.getKeyValueStore(TickerTopology.JOBS_STORE);
        jobs.put(jobId, JobState.first(broken, harness.start(), dueAt));
        new TimeIndex(harness.driver.getKeyValueStore(TickerTopology.SCHEDULE_STORE)).put(dueAt, jobId);
        harness.driver.<Bytes, byte[]>getKeyValueStore(TickerTopology.NAMES_STORE)
                .put(JobNames.key(broken.name(), jobId), new byte[0]);
    }
}
