package io.cronstream.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.cronstream.devstack.EmbeddedMongo;
import io.cronstream.ticker.job.JobDefinitionParser;
import io.cronstream.ticker.job.ParsedJob;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.bson.Document;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

/** Random JSON bodies for create and merge patch: never a 5xx, and what is stored is always a valid job. */
class JobWritePropertiesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "Bearer " + DriverHarness.TOKEN;
    private static final List<String> FIELDS = List.of("_id", "jobId", "name", "displayName", "jobType", "type",
            "scheduleType", "cronExpression", "schedule", "cron", "cronType", "interval", "runAt", "timeZone", "enabled",
            "isEnabled", "isDeleted", "parameters", "payload", "config", "startAt", "endAt", "maxRuns", "misfirePolicy",
            "catchupWindow", "overlapPolicy", "stuckAfter", "failAfter", "pausedUntil", "pausedBy", "pauseNote",
            "version", "updatedBy", "owner", "$set", "a.b", "");

    private static EmbeddedMongo mongo;
    private static MongoClient client;
    private static MongoCollection<Document> jobs;
    private static DriverHarness harness;
    private static final JobDefinitionParser PARSER = new JobDefinitionParser(JobDefinitionParser.Defaults.standard());

    @BeforeContainer
    static void start() {
        mongo = EmbeddedMongo.inMemory(0);
        client = MongoClients.create(mongo.connectionString());
        jobs = client.getDatabase("scheduler").getCollection("scheduled_jobs");
        harness = new DriverHarness(DriverHarness.START,
                JobWriteRoutesTest.settings(ApiSettings.Mode.PRODUCTION, Duration.ZERO), Optional.of(mongo.connectionString()));
        Http.request("POST", harness.url("/api/v1/jobs"), "{\"_id\": \"target\", \"cronExpression\": \"0 9 * * *\"}",
                "Authorization", ADMIN);
    }

    @AfterContainer
    static void stop() {
        harness.close();
        client.close();
        mongo.close();
    }

    @Property(tries = 150)
    void createNeverAnswers5xxNorStoresAnInvalidJob(@ForAll("bodies") String body) throws Exception {
        Http.Response response = Http.request("POST", harness.url("/api/v1/jobs"), body, "Authorization", ADMIN);
        assertThat(response.status()).as(body + " → " + response.body()).isLessThan(500);
        if (response.status() == 201) {
            assertStoredValid(response.json().get("jobId").asText());
        } else {
            assertThat(response.status()).as(response.body()).isIn(400, 409, 413);
            assertThat(response.json().get("error").asText()).isNotBlank();
        }
    }

    @Property(tries = 150)
    void mergePatchNeverAnswers5xxNorStoresAnInvalidJob(@ForAll("bodies") String body) throws Exception {
        Http.Response response = Http.request("PATCH", harness.url("/api/v1/jobs/target"), body, "Authorization", ADMIN);
        assertThat(response.status()).as(body + " → " + response.body()).isLessThan(500);
        assertThat(response.status()).as(response.body()).isIn(200, 400, 413);
        assertStoredValid("target");
    }

    private static void assertStoredValid(String id) {
        Document stored = jobs.find(Filters.eq("_id", id)).first();
        assertThat(stored).isNotNull();
        String json = stored.toJson(JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build());
        ParsedJob parsed = PARSER.parse(id.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8),
                Instant.now());
        assertThat(parsed).isInstanceOf(ParsedJob.Defined.class);
        assertThat(((ParsedJob.Defined) parsed).definition().valid()).as(json).isTrue();
    }

    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<Map<String, Object>> objects = Arbitraries.maps(Arbitraries.oneOf(Arbitraries.of(FIELDS),
                Arbitraries.strings().ofMaxLength(12)), values()).ofMaxSize(8).map(LinkedHashMap::new);
        return Arbitraries.oneOf(objects.map(JobWritePropertiesTest::write), Arbitraries.of("", "[]", "null", "{",
                "\"x\"", "{\"cronExpression\": \"0 9 * * *\", \"_id\": 7}", "{\"_id\": \"x\", \"cronExpression\": {\"$date\": \"no\"}}"));
    }

    private static Arbitrary<Object> values() {
        Arbitrary<Object> scalars = Arbitraries.oneOf(
                Arbitraries.of("0 9 * * *", "*/5 * * * * *", "0 0 12 ? * MON-FRI *", "* * * *", "@daily", "@often",
                        "Europe/Berlin", "Mars/Olympus", "PT30M", "00:30:00", "P-1D", "2026-12-01T00:00:00Z", "2150-01-01",
                        "Cron", "Interval", "Once", "Manual", "SKIP", "FIRE_ALL", "nonsense", "x".repeat(300)),
                Arbitraries.strings().ofMaxLength(20), Arbitraries.integers(), Arbitraries.longs(),
                Arbitraries.doubles(), Arbitraries.of(true, false), Arbitraries.just(null));
        return Arbitraries.oneOf(scalars, Arbitraries.maps(Arbitraries.of("a", "$date", "$oid", "b.c", "d"), scalars)
                .ofMaxSize(3).map(m -> (Object) new LinkedHashMap<>(m)), scalars.list().ofMaxSize(3).map(l -> (Object) l));
    }

    private static String write(Map<String, Object> body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

}
