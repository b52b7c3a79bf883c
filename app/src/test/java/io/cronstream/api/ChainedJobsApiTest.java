package io.cronstream.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What only the job graph can tell (an {@code after} naming an unknown job, or closing a cycle) reaches the API as
 * {@code valid: false} with the reason, alone and in the list, and heals when the graph does.
 */
class ChainedJobsApiTest {

    private static final String AUTH = "Bearer " + DriverHarness.TOKEN;

    private final DriverHarness harness = new DriverHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void anUnknownUpstreamAndACycleShowAsInvalidWithTheirReasonUntilTheGraphIsWhole() {
        harness.putJob("report", after("export"));
        harness.advance(Duration.ofSeconds(1));
        JsonNode report = job("report");
        assertThat(report.get("valid").asBoolean()).isFalse();
        assertThat(report.get("error").asText()).isEqualTo("after: job 'export' is not known");

        harness.putJob("export", "{\"scheduleType\": \"Manual\"}");
        harness.advance(Duration.ofSeconds(1));
        assertThat(job("report").get("valid").asBoolean()).as("healed once its upstream exists").isTrue();
        assertThat(job("report").get("after").get(0).get("jobId").asText()).isEqualTo("export");

        harness.putJob("export", after("report"));
        harness.advance(Duration.ofSeconds(1));
        assertThat(job("export").get("error").asText()).startsWith("after: cycle");
        assertThat(job("report").get("error").asText()).startsWith("after: cycle");
        Map<String, Boolean> listed = new HashMap<>();
        Http.get(harness.url("/api/v1/jobs"), "Authorization", AUTH).json().get("items")
                .forEach(job -> listed.put(job.get("jobId").asText(), job.get("valid").asBoolean()));
        assertThat(listed).containsOnly(Map.entry("export", false), Map.entry("report", false));

        harness.putJob("export", "{\"scheduleType\": \"Manual\"}");
        harness.advance(Duration.ofSeconds(1));
        assertThat(job("export").get("valid").asBoolean()).isTrue();
        assertThat(job("report").get("valid").asBoolean()).isTrue();
    }

    private JsonNode job(String jobId) {
        return Http.get(harness.url("/api/v1/jobs/" + jobId), "Authorization", AUTH).json();
    }

    private static String after(String upstream) {
        return "{\"scheduleType\": \"Manual\", \"after\": [{\"jobId\": \"" + upstream + "\"}]}";
    }
}
