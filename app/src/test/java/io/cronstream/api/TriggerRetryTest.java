package io.cronstream.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.schemas.DueEvent;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 13: the API answered 503 because the command producer timed out, though the command was written; the
 * client retries. The retry names the same run, and the ticker (the real topology) makes one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TriggerRetryTest {

    private static final String AUTH = "Bearer " + DriverHarness.TOKEN;

    private DriverHarness harness;

    @BeforeAll
    void start() {
        harness = new DriverHarness();
        for (String job : List.of("keyed", "keyed-body", "keyless", "limited", "bad-key")) {
            harness.putJob(job, "{\"name\": \"" + job + "\", \"scheduleType\": \"Manual\"}");
        }
    }

    @AfterAll
    void stop() {
        harness.close();
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyHeaderMakesOneRun() {
        harness.timeOutAfterWriting(1);
        assertThat(trigger("keyed", null, "Idempotency-Key", "order-42").status()).isEqualTo(503);

        Http.Response retry = trigger("keyed", null, "Idempotency-Key", "order-42");

        assertThat(retry.status()).as(retry.body()).isEqualTo(202);
        assertThat(retry.json().get("runId").asText()).isEqualTo("keyed@manual-order-42");
        assertThat(retry.json().get("idempotencyKey").asText()).isEqualTo("order-42");
        assertThat(runsOf("keyed")).containsExactly("keyed@manual-order-42");
        // the client never saw the 202 and asks once more: the same run again, still one
        assertThat(trigger("keyed", null, "Idempotency-Key", "order-42").status()).isEqualTo(202);
        assertThat(runsOf("keyed")).isEmpty();
        assertThat(trigger("keyed", null, "Idempotency-Key", "order-43").status())
                .as("another request within the minute").isEqualTo(429);
    }

    @Test
    void theKeyMayComeInTheBody() {
        harness.timeOutAfterWriting(1);
        String body = "{\"triggeredBy\": \"alice\", \"idempotencyKey\": \"b-1\"}";
        assertThat(trigger("keyed-body", body).status()).isEqualTo(503);
        Http.Response retry = trigger("keyed-body", body);
        assertThat(retry.status()).as(retry.body()).isEqualTo(202);
        assertThat(runsOf("keyed-body")).containsExactly("keyed-body@manual-b-1");
    }

    @Test
    void aRetryWithoutAKeyAfterA503NamesTheSameRun() {
        harness.timeOutAfterWriting(1);
        assertThat(trigger("keyless", null).status()).isEqualTo(503);

        Http.Response retry = trigger("keyless", null);

        assertThat(retry.status()).as(retry.body()).isEqualTo(202);
        String runId = retry.json().get("runId").asText();
        assertThat(runId).startsWith("keyless@manual-");
        assertThat(runsOf("keyless")).containsExactly(runId);
        assertThat(trigger("keyless", null).status()).as("written: the next one is a new trigger").isEqualTo(429);
    }

    @Test
    void badKeysAre400() {
        assertThat(trigger("bad-key", null, "Idempotency-Key", "has space").status()).isEqualTo(400);
        assertThat(trigger("bad-key", null, "Idempotency-Key", "k".repeat(65)).status()).isEqualTo(400);
        assertThat(trigger("bad-key", "{\"idempotencyKey\": 7}").status()).isEqualTo(400);
        assertThat(trigger("bad-key", "{\"idempotencyKey\": \"a\"}", "Idempotency-Key", "b").status()).isEqualTo(400);
        assertThat(runsOf("bad-key")).isEmpty();
    }

    /** Issue 23: a key that would name a run Cronstream derives (a retry's, a keyless trigger's) is refused. */
    @Test
    void keysThatNameDerivedRunsAre400() {
        for (String key : List.of("deploy-attempt-2", "attempt-3", "1767225600000")) {
            Http.Response refused = trigger("bad-key", null, "Idempotency-Key", key);
            assertThat(refused.status()).as(key).isEqualTo(400);
            assertThat(refused.json().get("error").asText()).as(key).contains("idempotency key must not");
            assertThat(trigger("bad-key", "{\"idempotencyKey\": \"" + key + "\"}").status()).as(key).isEqualTo(400);
        }
        assertThat(runsOf("bad-key")).isEmpty();
    }

    /** The run ids of the due events emitted for a job since the last call. */
    private List<String> runsOf(String jobId) {
        return harness.dueEvents().stream().filter(due -> due.jobId().equals(jobId)).map(DueEvent::runId).toList();
    }

    private Http.Response trigger(String jobId, String body, String... headers) {
        String[] all = new String[headers.length + 4];
        all[0] = "Authorization";
        all[1] = AUTH;
        all[2] = "Content-Type";
        all[3] = "application/json";
        System.arraycopy(headers, 0, all, 4, headers.length);
        return Http.post(harness.url("/api/v1/jobs/" + jobId + "/trigger"), body, all);
    }
}
