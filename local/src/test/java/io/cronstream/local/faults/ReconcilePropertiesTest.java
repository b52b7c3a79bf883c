package io.cronstream.local.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Updates;
import io.cronstream.app.reconcile.Reconciler;
import io.cronstream.local.Http;
import io.cronstream.schemas.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.bson.BsonBinary;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

/**
 * Generated histories of MongoDB writes (inserts, updates, replaces, deletes of jobs whose ids are strings,
 * ObjectIds and numbers, with payloads of every common BSON type) and connector outages (stopped and resumed, or
 * stopped and resumed with its resume token lost, so every change made meanwhile is lost): after one reconciliation
 * pass the ticker holds exactly MongoDB's jobs, and once the jobs topic is quiet a second pass finds nothing to repair
 * (the reconciliation reads documents as the connector publishes them, so it never repairs a job in step).
 */
class ReconcilePropertiesTest {

    private static final Duration PATIENCE = Duration.ofMinutes(2);
    private static final AtomicInteger HISTORIES = new AtomicInteger();

    private static CdcStack stack;

    /** One thing that happens: a write to the job at {@code slot}, or the connector stopped or resumed. */
    record Step(Kind kind, int slot) {
        enum Kind { INSERT_OR_REPLACE, UPDATE, DELETE, STOP, RESUME, RESUME_LOSING_TOKEN }
    }

    @BeforeContainer
    static void start() {
        // passes only when the property runs one
        stack = new CdcStack(Map.of("cronstream.reconcile.interval", "PT1H",
                "cronstream.connect.poll.interval", "PT0.5S"));
        await().atMost(PATIENCE).ignoreExceptions().until(() -> stack.api().get("/ready").status() == 200);
    }

    @AfterContainer
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Property(tries = 8, seed = "20260423")
    void afterOneReconciliationTheTickerHoldsExactlyMongoDbsJobs(@ForAll("histories") List<Step> history) {
        int run = HISTORIES.incrementAndGet();
        List<Object> ids = List.of("h" + run + "-text", new ObjectId(), 1_000 * run, 10_000_000_000L + run,
                "h" + run + "-other");
        MongoCollection<Document> jobs = stack.jobs();
        boolean stopped = false;
        int seq = 0;
        for (Step step : history) {
            Object id = ids.get(step.slot() % ids.size());
            switch (step.kind()) {
                case INSERT_OR_REPLACE -> jobs.replaceOne(Filters.eq("_id", id), document(++seq, step.slot()),
                        new ReplaceOptions().upsert(true));
                case UPDATE -> jobs.updateOne(Filters.eq("_id", id), Updates.combine(Updates.set("payload.seq", ++seq),
                        Updates.set("cronExpression", (seq % 60) + " 3 * * *")));
                case DELETE -> jobs.deleteOne(Filters.eq("_id", id));
                case STOP -> {
                    if (!stopped) {
                        connector("PUT", "/stop", null);
                        await().atMost(PATIENCE).until(() -> stack.connectorState().startsWith("STOPPED"));
                        stopped = true;
                    }
                }
                case RESUME, RESUME_LOSING_TOKEN -> {
                    if (stopped) {
                        resume(step.kind() == Step.Kind.RESUME_LOSING_TOKEN);
                        stopped = false;
                    }
                }
            }
        }
        if (stopped) {
            resume(true);
        }

        Reconciler reconciler = stack.service().reconciler().orElseThrow();
        Reconciler.Pass first = reconciler.run();
        await().atMost(PATIENCE).ignoreExceptions().until(() -> mismatches().isEmpty());
        Statistics.label("repairs").collect(first.repairs() > 0 ? "repaired" : "in step already");

        await().atMost(PATIENCE).ignoreExceptions().until(() -> quiet() && mismatches().isEmpty());
        Reconciler.Pass second = reconciler.run();
        assertThat(second.repairs()).as("repairs of jobs already in step").isZero();
        assertThat(mismatches()).isEmpty();
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<Step.Kind> kinds = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.just(Step.Kind.INSERT_OR_REPLACE)),
                net.jqwik.api.Tuple.of(4, Arbitraries.just(Step.Kind.UPDATE)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(Step.Kind.DELETE)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Step.Kind.STOP)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Step.Kind.RESUME)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Step.Kind.RESUME_LOSING_TOKEN)))
                .flatMap(Arbitraries::just);
        return Combinators.combine(kinds, Arbitraries.integers().between(0, 4)).as(Step::new)
                .list().ofMinSize(4).ofMaxSize(24);
    }

    /** A job document with a payload of many BSON types; {@code seq} tells the writes apart. */
    private static Document document(int seq, int slot) {
        return new Document("name", "job " + slot)
                .append("cronExpression", (seq % 60) + " 2 * * *")
                .append("isEnabled", seq % 3 != 0)
                // as a job created again through the API: its version starts over, so a version tells nothing
                .append("version", 1)
                .append("payload", new Document("seq", seq)
                        .append("when", Date.from(Instant.parse("2026-04-23T10:15:30.250Z").plusSeconds(seq)))
                        .append("big", 9_007_199_254_740_993L + seq)
                        .append("ratio", seq / 8.0)
                        .append("price", new Decimal128(new java.math.BigDecimal("12.30")))
                        .append("bytes", new BsonBinary(new byte[] {1, 2, (byte) seq}))
                        .append("ref", new ObjectId(new Date(1_700_000_000_000L), seq))
                        .append("tags", List.of("a", seq, new Document("k", null)))
                        .append("text", "é ☃ \u0001 \"quoted\" $dollar"));
    }

    private static void resume(boolean losingToken) {
        if (losingToken) {
            try {
                JsonNode offsets = Json.mapper().readTree(connector("GET", "/offsets", null));
                JsonNode partition = offsets.path("offsets").path(0).path("partition");
                if (!partition.isMissingNode()) {
                    connector("PATCH", "/offsets", "{\"offsets\": [{\"partition\": " + partition
                            + ", \"offset\": {\"_id\": " + Json.mapper().writeValueAsString("{\"_data\": \"lost\"}")
                            + "}}]}");
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        connector("PUT", "/resume", null);
        await().atMost(PATIENCE).until(() -> "RUNNING/RUNNING".equals(stack.connectorState()));
    }

    private static String connector(String method, String path, String json) {
        var answer = stack.connectRest(method, "/connectors/" + CdcStack.CONNECTOR + path, json);
        assertThat(answer.statusCode()).as(method + " " + path + ": " + answer.body()).isBetween(200, 204);
        return answer.body();
    }

    /** No record on the jobs topic for two seconds: the connector has published what it will. */
    private static boolean quiet() {
        JsonNode age = stack.api().get("/health").body().path("pipeline").path("lastChangeAgeSeconds");
        return age.isNumber() && age.asLong() >= 2;
    }

    /** Jobs whose payload.seq (or presence) differs between MongoDB and the API. */
    private static List<String> mismatches() {
        Map<String, Long> mongo = new TreeMap<>();
        stack.jobs().find().forEach(doc -> mongo.put(jobId(doc.get("_id")),
                doc.get("payload", Document.class).get("seq", Number.class).longValue()));
        Map<String, Long> ticker = new TreeMap<>();
        String cursor = null;
        do {
            Http.Answer page = stack.api().get("/api/v1/jobs?limit=1000" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).isEqualTo(200);
            page.body().path("items").forEach(job -> ticker.put(job.path("jobId").asText(),
                    job.path("payload").path("seq").asLong()));
            cursor = page.body().path("next").isTextual() ? page.body().path("next").asText() : null;
        } while (cursor != null);
        List<String> wrong = new ArrayList<>();
        mongo.forEach((id, seq) -> {
            if (!seq.equals(ticker.get(id))) {
                wrong.add(id + ": MongoDB seq " + seq + ", ticker " + ticker.get(id));
            }
        });
        ticker.keySet().stream().filter(id -> !mongo.containsKey(id)).forEach(id -> wrong.add(id + " not in MongoDB"));
        return wrong;
    }

    private static String jobId(Object id) {
        return id instanceof ObjectId objectId ? objectId.toHexString() : String.valueOf(id);
    }
}
