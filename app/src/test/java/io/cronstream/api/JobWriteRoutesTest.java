package io.cronstream.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.cronstream.devstack.EmbeddedMongo;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The write routes (DESIGN §7, §11) over the real composed topology and a real MongoDB-wire server driven by
 * the real driver. The connector is not here: what reaches the ticker is {@code ?wait=true}'s business,
 * proved on the embedded stack ({@code WriteThroughConnectorTest}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobWriteRoutesTest {

    static final String ADMIN = "Bearer " + DriverHarness.TOKEN;
    static final String OPERATOR = "Bearer operator-secret-1";
    static final String VIEWER = "Bearer viewer-secret-1";

    private EmbeddedMongo mongo;
    private MongoClient client;
    private MongoCollection<Document> jobs;
    private DriverHarness harness;

    @BeforeAll
    void start() {
        mongo = EmbeddedMongo.inMemory(0);
        client = MongoClients.create(mongo.connectionString());
        jobs = client.getDatabase("scheduler").getCollection("scheduled_jobs");
        harness = new DriverHarness(DriverHarness.START, settings(ApiSettings.Mode.PRODUCTION, Duration.ofMillis(200)),
                Optional.of(mongo.connectionString()));
    }

    @AfterAll
    void stop() {
        harness.close();
        client.close();
        mongo.close();
    }

    static ApiSettings settings(ApiSettings.Mode mode, Duration writeWait) {
        return new ApiSettings("127.0.0.1", 0, "127.0.0.1", Optional.of(DriverHarness.TOKEN), mode, 4096,
                Duration.ofSeconds(2), Duration.ofMinutes(1),
                List.of(role("ops", "operator", "operator-secret-1"), role("reader", "viewer", "viewer-secret-1")),
                writeWait);
    }

    static ApiSettings.RoleToken role(String name, String role, String secret) {
        return ApiSettings.RoleToken.parse(name + ":" + role + ":" + HexFormat.of().formatHex(BearerToken.digest(secret)));
    }

    private Http.Response call(String method, String path, String body, String auth, String... more) {
        String[] headers = new String[2 + more.length];
        headers[0] = "Authorization";
        headers[1] = auth;
        System.arraycopy(more, 0, headers, 2, more.length);
        return Http.request(method, harness.url(path), body, headers);
    }

    private Document stored(String id) {
        return jobs.find(Filters.eq("_id", id)).first();
    }

    @Test
    void createAnswers201WithLocationAndVersionOneAndASecondCreateIs409() {
        Http.Response created = call("POST", "/api/v1/jobs",
                "{\"_id\": \"digest\", \"name\": \"Digest\", \"cronExpression\": \"0 9 * * MON\", \"owner\": {\"team\": \"growth\"}}", ADMIN);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo("/api/v1/jobs/digest");
        assertThat(created.header("ETag")).isEqualTo("\"1\"");
        assertThat(created.json().get("version").asLong()).isEqualTo(1);
        Document doc = stored("digest");
        assertThat(doc.get("version", Number.class).longValue()).isEqualTo(1);
        assertThat(doc.getString("updatedBy")).isEqualTo("api-token");
        assertThat(doc.get("owner", Document.class).getString("team")).as("unknown fields are kept").isEqualTo("growth");

        Http.Response again = call("POST", "/api/v1/jobs", "{\"_id\": \"digest\", \"cronExpression\": \"0 * * * *\"}", ADMIN);
        assertThat(again.status()).isEqualTo(409);
        assertThat(stored("digest").getString("cronExpression")).isEqualTo("0 9 * * MON");
    }

    @Test
    void whatTheTickerWouldKeepInvalidIsRefusedWithItsMessageAndNeverStored() {
        assertRefused("{\"_id\": \"bad-cron\", \"cronExpression\": \"* * * *\"}", "bad-cron",
                "field 'cronExpression': Invalid cron expression '* * * *': expected 5, 6 or 7 fields, got 4");
        assertRefused("{\"_id\": \"bad-zone\", \"cronExpression\": \"0 9 * * *\", \"timeZone\": \"Mars/Olympus\"}", "bad-zone",
                "field 'timeZone': unknown time zone 'Mars/Olympus', expected an IANA id like 'Europe/Berlin' or 'UTC'");
        assertRefused("{\"_id\": \"bad-type\", \"cronExpression\": \"0 9 * * *\", \"enabled\": \"yes\"}", "bad-type",
                "field 'enabled': expected true or false, got string 'yes'");
        assertRefused("{\"_id\": \"too-long\", \"cronExpression\": \"0 9 * * *\", \"name\": \"" + "n".repeat(201) + "\"}",
                "too-long", "field 'name': at most 200 characters, got 201");
        assertRefused("{\"_id\": \"dollar\", \"cronExpression\": \"0 9 * * *\", \"x\": {\"$where\": 1}}", "dollar",
                "field '$where': a field name must not be empty, start with '$' or contain '.'");
        assertRefused("{\"_id\": \"no-schedule\"}", "no-schedule",
                "field 'scheduleType': no schedule: set cronExpression (or schedule/cron), interval, runAt, or scheduleType 'Manual'");
    }

    private void assertRefused(String body, String id, String message) {
        Http.Response response = call("POST", "/api/v1/jobs", body, ADMIN);
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().get("error").asText()).isEqualTo(message);
        assertThat(stored(id)).isNull();
    }

    @Test
    void mergePatchKeepsUnknownFieldsAndAStaleIfMatchIs412WithNothingWritten() {
        call("POST", "/api/v1/jobs", "{\"_id\": \"patched\", \"cronExpression\": \"0 9 * * *\", \"owner\": \"ops\","
                + " \"parameters\": {\"a\": 1, \"b\": 2}}", ADMIN);
        Http.Response patched = call("PATCH", "/api/v1/jobs/patched",
                "{\"cronExpression\": \"0 10 * * *\", \"parameters\": {\"b\": null, \"c\": 3}}", ADMIN, "If-Match", "\"1\"");
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(patched.header("ETag")).isEqualTo("\"2\"");
        Document doc = stored("patched");
        assertThat(doc.getString("cronExpression")).isEqualTo("0 10 * * *");
        assertThat(doc.getString("owner")).isEqualTo("ops");
        assertThat(doc.get("parameters", Document.class)).isEqualTo(new Document("a", 1).append("c", 3));

        Http.Response stale = call("PATCH", "/api/v1/jobs/patched", "{\"cronExpression\": \"0 11 * * *\"}", ADMIN,
                "If-Match", "\"1\"");
        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.json().get("error").asText()).contains("is at version 2, not 1");
        assertThat(stored("patched").getString("cronExpression")).isEqualTo("0 10 * * *");

        Http.Response invalid = call("PATCH", "/api/v1/jobs/patched", "{\"cronExpression\": \"61 * * * *\"}", ADMIN);
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().get("error").asText()).startsWith("field 'cronExpression': Invalid cron expression '61 * * * *'");
        assertThat(stored("patched").get("version", Number.class).longValue()).isEqualTo(2);

        Http.Response replaced = call("PUT", "/api/v1/jobs/patched", "{\"interval\": \"PT30M\"}", ADMIN, "If-Match", "2");
        assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
        assertThat(stored("patched")).doesNotContainKey("cronExpression").containsEntry("interval", "PT30M");

        assertThat(call("DELETE", "/api/v1/jobs/patched", null, ADMIN, "If-Match", "\"2\"").status()).isEqualTo(412);
        assertThat(call("DELETE", "/api/v1/jobs/patched", null, ADMIN, "If-Match", "\"3\"").status()).isEqualTo(204);
        assertThat(stored("patched")).isNull();
        assertThat(call("DELETE", "/api/v1/jobs/patched", null, ADMIN).status()).isEqualTo(404);
    }

    @Test
    void racingWritersNeverLoseAnUpdate() throws Exception {
        call("POST", "/api/v1/jobs", "{\"_id\": \"raced\", \"cronExpression\": \"0 9 * * *\"}", ADMIN);
        int writers = 12;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
        try {
            List<java.util.concurrent.Future<Http.Response>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String field = "field" + i;
                answers.add(pool.submit(() -> call("PATCH", "/api/v1/jobs/raced", "{\"" + field + "\": true}", ADMIN)));
            }
            List<String> written = new java.util.ArrayList<>();
            for (int i = 0; i < writers; i++) {
                Http.Response answer = answers.get(i).get();
                assertThat(answer.status()).as(answer.body()).isIn(200, 409);
                if (answer.status() == 200) {
                    written.add("field" + i);
                }
            }
            Document doc = stored("raced");
            assertThat(doc.get("version", Number.class).longValue()).isEqualTo(1 + written.size());
            assertThat(doc.keySet()).as("every acknowledged write is in the document").containsAll(written);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void enableDisablePauseResumeAndTheChangeTrailSaysWhoWhenAndWhat() {
        call("POST", "/api/v1/jobs", "{\"_id\": \"toggled\", \"cronExpression\": \"0 9 * * *\", \"isEnabled\": true}", ADMIN);
        Http.Response disabled = call("POST", "/api/v1/jobs/toggled/disable", null, OPERATOR);
        assertThat(disabled.status()).as(disabled.body()).isEqualTo(200);
        assertThat(stored("toggled").getBoolean("isEnabled")).as("the document's own spelling").isFalse();
        assertThat(stored("toggled")).doesNotContainKey("enabled");

        Http.Response paused = call("POST", "/api/v1/jobs/toggled/pause",
                "{\"note\": \"vendor outage\", \"until\": \"2026-12-01T00:00:00Z\"}", OPERATOR);
        assertThat(paused.status()).as(paused.body()).isEqualTo(200);
        Document doc = stored("toggled");
        assertThat(doc.getString("pausedBy")).isEqualTo("ops");
        assertThat(doc.getString("pauseNote")).isEqualTo("vendor outage");
        assertThat(doc.getDate("pausedUntil").toInstant()).hasToString("2026-12-01T00:00:00Z");
        assertThat(call("POST", "/api/v1/jobs/toggled/pause", "{\"until\": \"soon\"}", OPERATOR).status()).isEqualTo(400);

        assertThat(call("POST", "/api/v1/jobs/toggled/resume", null, OPERATOR).status()).isEqualTo(200);
        assertThat(stored("toggled")).doesNotContainKeys("pausedBy", "pauseNote", "pausedUntil");
        assertThat(call("POST", "/api/v1/jobs/toggled/enable", null, OPERATOR).status()).isEqualTo(200);

        JsonNode trail = call("GET", "/api/v1/jobs/toggled/changes", null, VIEWER).json();
        assertThat(trail.get("count").asInt()).isEqualTo(5);
        JsonNode disable = trail.get("items").get(3);
        assertThat(disable.get("action").asText()).isEqualTo("disable");
        assertThat(disable.get("by").asText()).isEqualTo("ops");
        assertThat(disable.get("version").asLong()).isEqualTo(2);
        assertThat(disable.get("at").asText()).isNotEmpty();
        assertThat(disable.get("changes").get(0).get("field").asText()).isEqualTo("isEnabled");
        assertThat(disable.get("changes").get(0).get("old").asBoolean()).isTrue();
        assertThat(disable.get("changes").get(0).get("new").asBoolean()).isFalse();
        assertThat(trail.get("items").get(0).get("action").asText()).isEqualTo("enable");
        assertThat(trail.get("next").isNull()).isTrue();

        // paged like every list: the cursors walk the same trail, newest first, each entry once
        List<String> walked = new ArrayList<>();
        JsonNode page = call("GET", "/api/v1/jobs/toggled/changes?limit=2", null, VIEWER).json();
        while (true) {
            page.get("items").forEach(entry -> walked.add(entry.get("action").asText() + "@" + entry.get("at").asText()));
            if (page.get("next").isNull()) {
                break;
            }
            page = call("GET", "/api/v1/jobs/toggled/changes?limit=2&cursor=" + page.get("next").asText(), null,
                    VIEWER).json();
        }
        List<String> whole = new ArrayList<>();
        trail.get("items").forEach(entry -> whole.add(entry.get("action").asText() + "@" + entry.get("at").asText()));
        assertThat(walked).containsExactlyElementsOf(whole);
        assertThat(call("GET", "/api/v1/jobs/toggled/changes?cursor=bm9wZQ", null, VIEWER).status()).isEqualTo(400);
    }

    /** The trail is bounded: a TTL index on its time, at the harness's retention (30 days). */
    @Test
    void theChangeTrailGoesAfterItsRetention() {
        List<Document> indexes = client.getDatabase("scheduler").getCollection("scheduled_jobs_changes")
                .listIndexes().into(new ArrayList<>());
        assertThat(indexes).filteredOn(index -> "trail-retention".equals(index.getString("name"))).singleElement()
                .satisfies(index -> {
                    assertThat(index.get("key", Document.class)).containsOnlyKeys("at");
                    assertThat(((Number) index.get("expireAfterSeconds")).longValue()).isEqualTo(30L * 24 * 3600);
                });
    }

    @Test
    void rolesAndTokens() {
        String job = "{\"_id\": \"guarded\", \"cronExpression\": \"0 9 * * *\"}";
        assertThat(call("POST", "/api/v1/jobs", job, VIEWER).status()).isEqualTo(403);
        assertThat(call("POST", "/api/v1/jobs", job, OPERATOR).status()).isEqualTo(403);
        assertThat(call("POST", "/api/v1/jobs", job, "Bearer nope").status()).isEqualTo(401);
        assertThat(Http.post(harness.url("/api/v1/jobs"), job).status()).isEqualTo(401);
        assertThat(stored("guarded")).isNull();
        assertThat(call("POST", "/api/v1/jobs", job, ADMIN).status()).isEqualTo(201);
        assertThat(call("POST", "/api/v1/jobs/guarded/disable", null, VIEWER).status()).isEqualTo(403);

        assertThat(Http.get(harness.url("/api/v1/jobs"), "Accept", "application/json").status())
                .as("production: reads need a token").isEqualTo(401);
        assertThat(call("GET", "/api/v1/jobs", null, "Bearer nope").status()).isEqualTo(401);
        assertThat(call("GET", "/api/v1/jobs", null, VIEWER).status()).isEqualTo(200);
        assertThat(Http.get(harness.url("/health"), "Accept", "application/json").status()).isEqualTo(200);
    }

    @Test
    void anOutsideClientCannotPoseAsAPeer() {
        Http.Response forged = call("GET", "/api/v1/jobs", null, VIEWER, Peers.FORWARDED, "10.0.0.9:7070");
        assertThat(forged.status()).isEqualTo(401);
        assertThat(forged.json().get("error").asText()).isEqualTo("forwarded request without a valid peer signature");
        PeerAuth peers = PeerAuth.of(settings(ApiSettings.Mode.PRODUCTION, Duration.ZERO), Clock.systemUTC());
        Http.Response peer = Http.get(harness.url("/api/v1/jobs"), signed(peers.sign("GET", "/api/v1/jobs", new byte[0])));
        assertThat(peer.status()).as("a real peer needs no client token: it checked the client's").isEqualTo(200);
        assertThat(Http.get(harness.url("/api/v1/runs"), signed(peers.sign("GET", "/api/v1/jobs", new byte[0])))
                .status()).as("a signature covers one path").isEqualTo(401);
        assertThat(Http.get(harness.url("/api/v1/jobs?limit=1"), signed(peers.sign("GET", "/api/v1/jobs?limit=2", new byte[0])))
                .status()).as("and its query").isEqualTo(401);

        // the key is not derived from what cronstream.api.tokens publishes: its digests alone sign nothing
        ApiSettings digestsOnly = new ApiSettings("127.0.0.1", 0, "127.0.0.1", Optional.empty(), ApiSettings.Mode.PRODUCTION,
                4096, Duration.ofSeconds(2), Duration.ofMinutes(1), settings(ApiSettings.Mode.PRODUCTION, Duration.ZERO).tokens(),
                Duration.ZERO);
        assertThat(PeerAuth.of(digestsOnly, Clock.systemUTC()).sign("GET", "/api/v1/jobs", new byte[0])).isEmpty();
    }

    @Test
    void aReplayedOrExpiredPeerSignatureIsRefused() {
        ApiSettings same = settings(ApiSettings.Mode.PRODUCTION, Duration.ZERO);
        String[] once = signed(PeerAuth.of(same, Clock.systemUTC()).sign("GET", "/api/v1/jobs", new byte[0]));
        assertThat(Http.get(harness.url("/api/v1/jobs"), once).status()).isEqualTo(200);
        Http.Response replayed = Http.get(harness.url("/api/v1/jobs"), once);
        assertThat(replayed.status()).as("the same signed request again").isEqualTo(401);
        assertThat(replayed.json().get("error").asText()).contains("used before");

        Clock past = Clock.offset(Clock.systemUTC(), PeerAuth.WINDOW.plusSeconds(1).negated());
        Http.Response expired = Http.get(harness.url("/api/v1/jobs"),
                signed(PeerAuth.of(same, past).sign("GET", "/api/v1/jobs", new byte[0])));
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.json().get("error").asText()).contains("more than 30 s from this instance's clock");
        Clock future = Clock.offset(Clock.systemUTC(), PeerAuth.WINDOW.plusSeconds(1));
        assertThat(Http.get(harness.url("/api/v1/jobs"), signed(PeerAuth.of(same, future).sign("GET", "/api/v1/jobs",
                new byte[0]))).status()).isEqualTo(401);
        Clock skewed = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(-10));
        assertThat(Http.get(harness.url("/api/v1/jobs"), signed(PeerAuth.of(same, skewed).sign("GET", "/api/v1/jobs",
                new byte[0]))).status()).as("a few seconds of clock skew").isEqualTo(200);

        // a dedicated cronstream.api.peer.secret replaces the key derived from the token
        ApiSettings otherSecret = new ApiSettings("127.0.0.1", 0, "127.0.0.1", Optional.of(DriverHarness.TOKEN),
                ApiSettings.Mode.PRODUCTION, 4096, Duration.ofSeconds(2), Duration.ofMinutes(1), List.of(), Duration.ZERO,
                Optional.of("a-dedicated-peer-secret-0123456789"));
        assertThat(Http.get(harness.url("/api/v1/jobs"), signed(PeerAuth.of(otherSecret, Clock.systemUTC())
                .sign("GET", "/api/v1/jobs", new byte[0]))).status()).isEqualTo(401);
    }

    /** The headers of a forwarded request with {@code signature}. */
    private static String[] signed(java.util.Map<String, String> signature) {
        List<String> headers = new java.util.ArrayList<>(List.of(Peers.FORWARDED, "10.0.0.9:7070"));
        signature.forEach((name, value) -> {
            headers.add(name);
            headers.add(value);
        });
        return headers.toArray(String[]::new);
    }

    @Test
    void registrationUpsertsByNameAndNeverUndoesWhatAnAdminChanged() {
        String v1 = "{\"name\": \"weekly-digest\", \"serviceName\": \"email\", \"cronExpression\": \"0 9 * * MON\","
                + " \"jobType\": \"email\", \"description\": \"v1\", \"config\": {\"template\": \"a\"}}";
        Http.Response first = call("POST", "/api/v1/jobs/register", v1, ADMIN);
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(stored("weekly-digest").getBoolean("enabled")).as("new jobs start disabled").isFalse();

        call("PATCH", "/api/v1/jobs/weekly-digest", "{\"cronExpression\": \"0 8 * * MON\"}", ADMIN);
        call("POST", "/api/v1/jobs/weekly-digest/enable", null, OPERATOR);

        String v2 = v1.replace("\"v1\"", "\"v2\"").replace("0 9 * * MON", "0 7 * * MON").replace("\"a\"", "\"b\"");
        Http.Response again = call("POST", "/api/v1/jobs/register", v2, ADMIN);
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        Document doc = stored("weekly-digest");
        assertThat(doc.getString("description")).isEqualTo("v2");
        assertThat(doc.get("config", Document.class).getString("template")).isEqualTo("b");
        assertThat(doc.getString("cronExpression")).as("the admin's cron stays").isEqualTo("0 8 * * MON");
        assertThat(doc.getBoolean("enabled")).as("the admin's enable stays").isTrue();
        long version = doc.get("version", Number.class).longValue();

        assertThat(call("POST", "/api/v1/jobs/register", v2, ADMIN).status()).isEqualTo(200);
        assertThat(stored("weekly-digest").get("version", Number.class).longValue())
                .as("an unchanged registration writes nothing").isEqualTo(version);

        call("POST", "/api/v1/jobs/register", v1.replace("weekly-digest", "code-cron"), ADMIN);
        call("POST", "/api/v1/jobs/register", v1.replace("weekly-digest", "code-cron").replace("0 9 * * MON", "0 6 * * MON"), ADMIN);
        assertThat(stored("code-cron").getString("cronExpression")).as("a cron nobody edited follows the code")
                .isEqualTo("0 6 * * MON");
    }

    @Test
    void aWronglyTypedRegistrationFieldIs400NamingItAndNothingIsWritten() {
        String base = "{\"name\": \"typed\", \"serviceName\": \"billing\", \"cronExpression\": \"0 3 * * *\"";
        assertRegisterRefused(base + ", \"enabled\": \"yes\"}", "field 'enabled': expected true or false, got string 'yes'");
        assertRegisterRefused(base + ", \"enabled\": 1}", "field 'enabled': expected true or false, got number 1");
        assertRegisterRefused(base + ", \"config\": \"a=1\"}", "field 'config': expected an object, got string 'a=1'");
        assertRegisterRefused(base + ", \"description\": 5}", "field 'description': expected a string, got number 5");
        assertRegisterRefused(base + ", \"jobType\": [\"email\"]}", "field 'jobType': expected a string, got array [\"email\"]");
        assertRegisterRefused(base.replace("\"billing\"", "true") + "}", "field 'serviceName': expected a non-empty string, got boolean true");
        assertThat(stored("typed")).isNull();

        // null is as good as absent; and a re-registration is checked too, before anything is compared
        Http.Response first = call("POST", "/api/v1/jobs/register", base + ", \"enabled\": null, \"description\": null}", ADMIN);
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(stored("typed")).doesNotContainKey("description").containsEntry("enabled", false);
        assertRegisterRefused(base + ", \"enabled\": \"no\"}", "field 'enabled': expected true or false, got string 'no'");
        assertThat(stored("typed").get("version", Number.class).longValue()).isEqualTo(1);
    }

    private void assertRegisterRefused(String body, String message) {
        Http.Response response = call("POST", "/api/v1/jobs/register", body, ADMIN);
        assertThat(response.status()).as(body + " -> " + response.body()).isEqualTo(400);
        assertThat(response.json().get("error").asText()).isEqualTo(message);
    }

    @Test
    void registrationMatchesTheNameFieldOnlyNeverAnotherJobsDisplayName() {
        call("POST", "/api/v1/jobs", "{\"_id\": \"labelled\", \"name\": \"invoices\", \"displayName\": \"reminders\","
                + " \"cronExpression\": \"0 4 * * *\"}", ADMIN);
        Http.Response registered = call("POST", "/api/v1/jobs/register", "{\"name\": \"reminders\", \"serviceName\": \"crm\","
                + " \"cronExpression\": \"0 5 * * *\"}", ADMIN);
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        assertThat(registered.json().get("jobId").asText()).isEqualTo("reminders");
        assertThat(stored("labelled")).as("a job whose displayName is the name is another job")
                .containsEntry("cronExpression", "0 4 * * *").doesNotContainKey("serviceName");
    }

    @Test
    void aManualTriggerOfARunningSkipJobIs409UnlessForcedAndTheForcedOneSaysSo() {
        harness.putJob("nightly", "{\"cronExpression\": \"* * * * *\", \"overlapPolicy\": \"SKIP\"}");
        harness.advance(Duration.ofMinutes(1));
        assertThat(harness.dueEvents()).hasSize(1);
        Http.Response refused = call("POST", "/api/v1/jobs/nightly/trigger", "{\"triggeredBy\": \"alice\"}", OPERATOR);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("error").asText()).startsWith("job already running");
        assertThat(call("POST", "/api/v1/jobs/nightly/trigger", null, VIEWER).status()).isEqualTo(403);

        Http.Response forced = call("POST", "/api/v1/jobs/nightly/trigger?force=true", "{\"triggeredBy\": \"alice\"}", OPERATOR);
        assertThat(forced.status()).as(forced.body()).isEqualTo(202);
        assertThat(harness.dueEvents()).singleElement()
                .satisfies(due -> assertThat(due.triggeredBy()).isEqualTo("alice (forced)"));

        // audited in the job's change trail under the token that forced it, not the name the client chose
        JsonNode trail = call("GET", "/api/v1/jobs/nightly/changes", null, VIEWER).json();
        assertThat(trail.get("count").asInt()).isEqualTo(1);
        JsonNode entry = trail.get("items").get(0);
        assertThat(entry.get("action").asText()).isEqualTo("trigger-forced");
        assertThat(entry.get("forced").asBoolean()).isTrue();
        assertThat(entry.get("by").asText()).isEqualTo("ops");
        assertThat(entry.get("role").asText()).isEqualTo("operator");
        assertThat(entry.get("at").asText()).isNotEmpty();
        assertThat(entry.get("runId").asText()).isEqualTo(forced.json().get("runId").asText());
        assertThat(entry.get("activeRunId").asText()).startsWith("nightly@");
        assertThat(entry.get("triggeredBy").asText()).isEqualTo("alice");
        assertThat(entry.get("changes").size()).isZero();
        assertThat(client.getDatabase("scheduler").getCollection("scheduled_jobs_changes")
                .countDocuments(Filters.eq("jobId", "nightly"))).isEqualTo(1);
    }

    @Test
    void aJobReadCarriesTheVersionTheTickerHoldsAsETag() {
        harness.putJob("etagged", "{\"cronExpression\": \"0 9 * * *\", \"version\": 4, \"updatedBy\": \"ops\"}");
        Http.Response job = call("GET", "/api/v1/jobs/etagged", null, VIEWER);
        assertThat(job.header("ETag")).isEqualTo("\"4\"");
        assertThat(job.json().get("updatedBy").asText()).isEqualTo("ops");
    }

    @Test
    void waitWithoutTheConnectorAnswers202NotApplied() {
        Http.Response response = call("POST", "/api/v1/jobs?wait=true", "{\"_id\": \"unseen\", \"cronExpression\": \"0 9 * * *\"}", ADMIN);
        assertThat(response.status()).isEqualTo(202);
        assertThat(response.json().get("applied").asBoolean()).isFalse();
        assertThat(stored("unseen")).isNotNull();
    }

    @Test
    void previewShowsValidityDescriptionAndTheDaylightSavingRule() {
        JsonNode spring = call("POST", "/api/v1/schedules/preview", "{\"cronExpression\": \"30 2 * * *\", \"timeZone\":"
                + " \"Europe/Berlin\", \"startAt\": \"2027-03-27T00:00:00Z\", \"count\": 2}", VIEWER).json();
        assertThat(spring.get("valid").asBoolean()).isTrue();
        assertThat(spring.get("description").asText()).contains("Europe/Berlin");
        assertThat(spring.get("next").toString()).isEqualTo("[\"2027-03-27T01:30:00Z\",\"2027-03-28T01:30:00Z\"]");
        assertThat(spring.get("fires").get(0).get("note").isNull()).isTrue();
        assertThat(spring.get("fires").get(1).get("note").asText())
                .isEqualTo("02:30 does not exist on 2027-03-28 in Europe/Berlin (daylight saving starts): fires shifted by the gap, at 03:30 +02:00");

        JsonNode autumn = call("POST", "/api/v1/schedules/preview", "{\"cronExpression\": \"30 2 * * *\", \"timeZone\":"
                + " \"Europe/Berlin\", \"startAt\": \"2027-10-31T00:00:00Z\", \"count\": 1}", VIEWER).json();
        assertThat(autumn.get("fires").get(0).get("note").asText()).contains("occurs twice on 2027-10-31")
                .contains("first occurrence only");

        JsonNode bad = call("POST", "/api/v1/schedules/preview", "{\"cronExpression\": \"* * * *\"}", VIEWER).json();
        assertThat(bad.get("valid").asBoolean()).isFalse();
        assertThat(bad.get("error").asText()).isEqualTo(
                "field 'cronExpression': Invalid cron expression '* * * *': expected 5, 6 or 7 fields, got 4");
    }

    @Test
    void cronLimitsAreTheSameForWritesThePreviewAndTheJobsTopic() {
        refusedEverywhere("too-long", "0" + ",0".repeat(300) + " * * * *", "609 characters, at most 512 are allowed");
        refusedEverywhere("too-many", "0" + ",0".repeat(60) + " * * * *", "field 1 lists 61 items, at most 60 are allowed");
    }

    /** A write answers 400 naming the limit; the preview and a job read from the topic say the same. */
    private void refusedEverywhere(String id, String cron, String limit) {
        String body = "{\"_id\": \"" + id + "\", \"cronExpression\": \"" + cron + "\"}";
        Http.Response write = call("POST", "/api/v1/jobs", body, ADMIN);
        assertThat(write.status()).isEqualTo(400);
        String error = write.json().get("error").asText();
        assertThat(error).contains(limit);
        assertThat(stored(id)).isNull();

        JsonNode preview = call("POST", "/api/v1/schedules/preview", "{\"cronExpression\": \"" + cron + "\"}", VIEWER)
                .json();
        assertThat(preview.get("valid").asBoolean()).isFalse();
        assertThat(preview.get("error").asText()).isEqualTo(error);

        harness.putJob(id, body);
        JsonNode kept = call("GET", "/api/v1/jobs/" + id, null, VIEWER).json();
        assertThat(kept.get("valid").asBoolean()).isFalse();
        assertThat(kept.get("error").asText()).isEqualTo(error);
    }

    @Test
    void withoutMongoWritesAre503AndReadsWork() {
        try (DriverHarness noMongo = new DriverHarness(DriverHarness.START, settings(ApiSettings.Mode.PRODUCTION,
                Duration.ZERO), Optional.empty())) {
            Http.Response write = Http.post(noMongo.url("/api/v1/jobs"), "{\"cronExpression\": \"0 9 * * *\"}",
                    "Authorization", ADMIN);
            assertThat(write.status()).isEqualTo(503);
            assertThat(write.json().get("error").asText()).isEqualTo(
                    "job writes disabled: no MongoDB configured (set cronstream.mongo.uri)");
            assertThat(Http.get(noMongo.url("/api/v1/jobs")).status()).isEqualTo(200);
        }
    }

    @Test
    void unreachableMongoIs503WithRetryAfter() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (DriverHarness down = new DriverHarness(DriverHarness.START, settings(ApiSettings.Mode.PRODUCTION,
                Duration.ZERO), Optional.of("mongodb://localhost:" + closedPort))) {
            Http.Response write = Http.post(down.url("/api/v1/jobs"), "{\"cronExpression\": \"0 9 * * *\"}",
                    "Authorization", ADMIN);
            assertThat(write.status()).isEqualTo(503);
            assertThat(write.header("Retry-After")).isEqualTo("1");
            assertThat(write.json().get("error").asText()).contains("nothing was written");

            // a forced trigger that cannot be audited does not start
            down.putJob("busy", "{\"cronExpression\": \"* * * * *\", \"overlapPolicy\": \"SKIP\"}");
            down.advance(Duration.ofMinutes(1));
            assertThat(down.dueEvents()).hasSize(1);
            Http.Response forced = Http.post(down.url("/api/v1/jobs/busy/trigger?force=true"), "", "Authorization", OPERATOR);
            assertThat(forced.status()).as(forced.body()).isEqualTo(503);
            assertThat(forced.header("Retry-After")).isEqualTo("1");
            assertThat(forced.json().get("error").asText()).startsWith("forced trigger not started");
            assertThat(down.dueEvents()).isEmpty();
        }
    }

    @Test
    void devModeRefusesAForeignHostHeader() throws Exception {
        try (DriverHarness dev = new DriverHarness(DriverHarness.START, settings(ApiSettings.Mode.DEV, Duration.ZERO),
                Optional.empty())) {
            assertThat(rawStatus(dev.api.port(), "evil.example:" + dev.api.port())).isEqualTo(403);
            assertThat(rawStatus(dev.api.port(), "localhost:" + dev.api.port())).isEqualTo(200);
            assertThat(rawStatus(dev.api.port(), "127.0.0.1:" + dev.api.port())).isEqualTo(200);
        }
    }

    private static int rawStatus(int port, String host) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/v1/jobs HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String statusLine = new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines().findFirst().orElse("");
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }
}
