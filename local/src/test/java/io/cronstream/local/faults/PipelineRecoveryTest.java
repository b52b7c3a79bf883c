package io.cronstream.local.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.cronstream.local.Http;
import io.cronstream.schemas.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Change capture never stops silently and drift heals by itself (issue 23), on the real connector in a real Connect
 * worker: a task that fails (MongoDB goes away) is shown FAILED by {@code /health} and {@code /metrics} while this
 * instance stays ready, and is restarted by Cronstream once MongoDB is back; changes lost with the connector's resume
 * token are healed by the periodic reconciliation.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineRecoveryTest {

    private static final Duration PATIENCE = Duration.ofMinutes(2);

    private CdcStack stack;
    private Http api;

    @BeforeAll
    void start() {
        stack = new CdcStack(Map.of(
                "cronstream.connect.poll.interval", "PT0.5S",
                "cronstream.connect.restart.backoff.initial", "PT1S",
                "cronstream.connect.restart.backoff.max", "PT4S",
                "cronstream.reconcile.interval", "PT3S"));
        api = stack.api();
        await().atMost(PATIENCE).ignoreExceptions().until(() -> api.get("/ready").status() == 200
                && "RUNNING".equals(pipeline().path("task").asText()));
    }

    @AfterAll
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aFailedTaskIsShownAndRestartedByCronstream() {
        assertThat(metric("cronstream_connector_up")).isEqualTo(1.0);

        stack.stopMongo();
        await().atMost(PATIENCE).ignoreExceptions().until(() -> stack.connectorState().contains("FAILED"));
        await().atMost(PATIENCE).ignoreExceptions().until(() -> "FAILED".equals(pipeline().path("task").asText()));
        assertThat(pipeline().path("connector").asText()).isEqualTo(CdcStack.CONNECTOR);
        assertThat(metric("cronstream_connector_up")).isEqualTo(0.0);
        assertThat(api.get("/health").status()).isEqualTo(200);
        assertThat(api.get("/ready").status()).as("readiness is about this instance only").isEqualTo(200);
        // restarted, failed again while MongoDB is away, restarted again after its backoff
        double restartsBefore = metric("cronstream_connector_restarts_total");
        await().atMost(PATIENCE).until(() -> metric("cronstream_connector_restarts_total") >= restartsBefore + 2);
        assertThat(pipeline().path("task").asText()).isNotEqualTo("RUNNING");

        stack.startMongo();
        await().atMost(PATIENCE).ignoreExceptions().until(() -> "RUNNING/RUNNING".equals(stack.connectorState()));
        await().atMost(PATIENCE).ignoreExceptions().until(() -> "RUNNING".equals(pipeline().path("task").asText()));
        assertThat(metric("cronstream_connector_up")).isEqualTo(1.0);

        // and changes flow again (once this test's own client has reconnected too)
        await().atMost(PATIENCE).ignoreExceptions().until(() -> stack.jobs().countDocuments() >= 0);
        stack.jobs().insertOne(new Document("_id", "after-restart").append("cronExpression", "0 3 * * *"));
        await().atMost(PATIENCE).ignoreExceptions().until(() -> api.get("/api/v1/jobs/after-restart").status() == 200);
        assertThat(pipeline().path("lastChangeAgeSeconds").asLong()).isLessThan(60);
    }

    @Test
    void changesLostWithTheResumeTokenAreHealedByTheReconciliation() throws Exception {
        for (String id : List.of("kept", "edited", "deleted", "replaced")) {
            stack.jobs().insertOne(new Document("_id", id).append("cronExpression", "0 3 * * *").append("version", 1));
        }
        await().atMost(PATIENCE).ignoreExceptions().until(() -> ticker().keySet().containsAll(List.of("kept", "edited", "deleted",
                "replaced")));
        double repairsBefore = metric("cronstream_reconcile_repairs_total");

        // the connector stops; while it is down, jobs change; its stored resume token is lost
        assertThat(stack.connectRest("PUT", "/connectors/" + CdcStack.CONNECTOR + "/stop", null).statusCode())
                .isBetween(200, 204);
        await().atMost(PATIENCE).ignoreExceptions().until(() -> stack.connectorState().startsWith("STOPPED"));
        stack.jobs().insertOne(new Document("_id", "created").append("cronExpression", "0 5 * * *"));
        stack.jobs().updateOne(Filters.eq("_id", "edited"), Updates.combine(Updates.set("cronExpression", "0 4 * * *"),
                Updates.set("version", 2)));
        stack.jobs().deleteOne(Filters.eq("_id", "deleted"));
        stack.jobs().replaceOne(Filters.eq("_id", "replaced"), new Document("cronExpression", "30 3 * * *"));
        JsonNode offsets = Json.mapper().readTree(stack.connectRest("GET", "/connectors/" + CdcStack.CONNECTOR
                + "/offsets", null).body());
        JsonNode partition = offsets.path("offsets").path(0).path("partition");
        String lost = "{\"offsets\": [{\"partition\": " + partition + ", \"offset\": {\"_id\": "
                + Json.mapper().writeValueAsString("{\"_data\": \"lost\"}") + "}}]}";
        assertThat(stack.connectRest("PATCH", "/connectors/" + CdcStack.CONNECTOR + "/offsets", lost).statusCode())
                .isEqualTo(200);
        stack.connectRest("PUT", "/connectors/" + CdcStack.CONNECTOR + "/resume", null);
        await().atMost(PATIENCE).ignoreExceptions().until(() -> "RUNNING/RUNNING".equals(stack.connectorState()));

        // the connector went on from "now": only the reconciliation can bring the ticker back to MongoDB
        await().atMost(PATIENCE).ignoreExceptions().until(() -> mismatches().isEmpty());
        assertThat(mismatches()).isEmpty();
        assertThat(metric("cronstream_reconcile_repairs_total") - repairsBefore).isGreaterThanOrEqualTo(4);
    }

    /** Each job of MongoDB that the API shows otherwise (or not at all), and each it shows that MongoDB lacks. */
    private List<String> mismatches() {
        Map<String, Document> mongo = new TreeMap<>();
        stack.jobs().find().forEach(doc -> mongo.put(String.valueOf(doc.get("_id")), doc));
        Map<String, JsonNode> ticker = ticker();
        List<String> wrong = new ArrayList<>();
        mongo.forEach((id, doc) -> {
            JsonNode job = ticker.get(id);
            if (job == null) {
                wrong.add(id + " missing");
            } else if (!job.path("cron").asText().equals(doc.getString("cronExpression"))) {
                wrong.add(id + " shows " + job.path("cron") + ", MongoDB has " + doc.getString("cronExpression"));
            }
        });
        ticker.keySet().stream().filter(id -> !mongo.containsKey(id)).forEach(id -> wrong.add(id + " not in MongoDB"));
        return wrong;
    }

    private Map<String, JsonNode> ticker() {
        Map<String, JsonNode> jobs = new TreeMap<>();
        api.get("/api/v1/jobs?limit=1000").body().path("items").forEach(job -> jobs.put(job.path("jobId").asText(), job));
        return jobs;
    }

    private JsonNode pipeline() {
        return api.get("/health").body().path("pipeline");
    }

    private double metric(String name) {
        return api.get("/metrics").text().lines()
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
