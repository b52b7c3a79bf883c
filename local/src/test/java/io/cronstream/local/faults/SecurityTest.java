package io.cronstream.local.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import io.cronstream.api.ApiSettings;
import io.cronstream.app.CronstreamService;
import io.cronstream.app.CronstreamApp;
import io.cronstream.app.Settings;
import io.cronstream.connectors.ConnectorDefinition;
import io.cronstream.devstack.EmbeddedConnect;
import io.cronstream.devstack.EmbeddedKafka;
import io.cronstream.devstack.EmbeddedMongo;
import io.cronstream.local.CronstreamTopics;
import io.cronstream.local.Http;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Flow;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The trigger route refuses every token that is not exactly right with 401; request bodies over
 * the limit get 413; and no secret (the API token, the password in the MongoDB connection string)
 * shows up in what Cronstream logs (everything at INFO and above, Kafka's and Connect's loggers
 * included, captured from logback), in {@code /metrics}, or in any API answer.
 */
class SecurityTest {

    private static final String API_TOKEN = "tok-9f2c-S3cret-Api";
    private static final String MONGO_PASSWORD = "s3cret-Mongo-pw";
    private static final Duration PATIENCE = Duration.ofMinutes(1);

    @Test
    void triggersNeedTheExactTokenBodiesAreBoundedAndNoSecretLeaks() throws Exception {
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        ch.qos.logback.classic.Logger root = logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level rootLevel = root.getLevel();
        OutputStreamAppender<ILoggingEvent> capture = capture(logging, logs);
        root.addAppender(capture);
        root.setLevel(Level.INFO);
        List<String> answers = new ArrayList<>();
        Path dir = Files.createTempDirectory("cronstream-security");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(0, dir.resolve("kafka"), true);
                EmbeddedMongo mongo = EmbeddedMongo.inMemory(0)) {
            Settings settings = Settings.of(Map.of(
                    "cronstream.bootstrap.servers", kafka.bootstrapServers(),
                    "cronstream.state.dir", dir.resolve("streams").toString(),
                    "cronstream.replication.factor", "1",
                    "cronstream.api.token", API_TOKEN,
                    "cronstream.api.host", "127.0.0.1",
                    "cronstream.api.advertised.host", "localhost",
                    "cronstream.api.port", "0"));
            CronstreamApp app = new CronstreamApp(settings);
            kafka.createTopics(CronstreamTopics.all(app.topics(), 3));
            // The connector gets a connection string with a password; the local server knows no users, so
            // the connector fails to log in: the error path is where connection strings tend to leak.
            String mongoUri = "mongodb://cronstream:" + MONGO_PASSWORD + "@localhost:" + mongo.port()
                    + "/?authSource=admin&serverSelectionTimeoutMS=2000";
            answers.add(connect(kafka, dir, mongoUri));

            try (CronstreamService service = new CronstreamService(app, CronstreamApp.apiSettings(settings), Clock.systemUTC()).start();
                    KafkaProducer<String, byte[]> producer = FaultKit.producer(kafka.bootstrapServers())) {
                Http api = new Http("http://localhost:" + service.api().port(), API_TOKEN);
                Instant now = Instant.now();
                FaultKit.send(producer, app.topics().jobs(), "sec-job", "{\"name\": \"secure\", \"scheduleType\": \"Manual\"}");
                FaultKit.send(producer, app.topics().jobs(), "sec-job-2", "{\"name\": \"secure 2\", \"scheduleType\": \"Manual\"}");
                FaultKit.send(producer, app.topics().stageProgress(), "sec-run", "{\"runId\": \"sec-run\", \"kind\": \"RUN_STARTED\", "
                        + "\"at\": \"" + now + "\"}");
                FaultKit.send(producer, app.topics().fileChanges(), "sec-lib", "{\"libraryId\": \"sec-lib\", \"path\": \"/a.jpg\", "
                        + "\"change\": \"ADDED\", \"detectedAt\": \"" + now + "\"}");
                producer.flush();
                await().atMost(PATIENCE).until(() -> api.get("/api/v1/jobs/sec-job").status() == 200
                        && api.get("/api/v1/jobs/sec-job-2").status() == 200 && api.get("/api/v1/runs/sec-run").status() == 200
                        && api.get("/api/v1/libraries/sec-lib").status() == 200);

                // Missing, wrong and almost-right tokens: 401, and the answer does not echo what was sent.
                String path = "/api/v1/jobs/sec-job/trigger";
                Map<String, Map<String, String>> refused = new LinkedHashMap<>();
                refused.put("no Authorization header", Map.of());
                refused.put("empty header", Map.of("Authorization", ""));
                refused.put("scheme only", Map.of("Authorization", "Bearer"));
                refused.put("no scheme", Map.of("Authorization", API_TOKEN));
                refused.put("Basic scheme", Map.of("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ("user:" + API_TOKEN).getBytes(StandardCharsets.UTF_8))));
                refused.put("wrong token", Map.of("Authorization", "Bearer wrong-token"));
                refused.put("prefix", Map.of("Authorization", "Bearer " + API_TOKEN.substring(0, API_TOKEN.length() - 1)));
                refused.put("first character only", Map.of("Authorization", "Bearer " + API_TOKEN.charAt(0)));
                refused.put("suffix added", Map.of("Authorization", "Bearer " + API_TOKEN + "x"));
                refused.put("character dropped in front", Map.of("Authorization", "Bearer " + API_TOKEN.substring(1)));
                refused.put("upper case", Map.of("Authorization", "Bearer " + API_TOKEN.toUpperCase()));
                refused.put("lower case", Map.of("Authorization", "Bearer " + API_TOKEN.toLowerCase()));
                refused.put("two spaces", Map.of("Authorization", "Bearer  " + API_TOKEN));
                refused.put("tab", Map.of("Authorization", "Bearer\t" + API_TOKEN));
                refused.put("space inside", Map.of("Authorization", "Bearer " + API_TOKEN.replace("-", " ")));
                refused.put("token twice", Map.of("Authorization", "Bearer " + API_TOKEN + API_TOKEN));
                refused.put("10000 characters", Map.of("Authorization", "Bearer " + "t".repeat(10_000)));
                for (Map.Entry<String, Map<String, String>> attempt : refused.entrySet()) {
                    Http.Answer answer = api.post(path, attempt.getValue(), "{\"triggeredBy\": \"mallory\"}");
                    answers.add(answer.text());
                    assertThat(answer.status()).as(attempt.getKey()).isEqualTo(401);
                    assertThat(answer.body().path("status").asInt()).as(attempt.getKey()).isEqualTo(401);
                    assertThat(answer.header("WWW-Authenticate")).as(attempt.getKey()).startsWith("Bearer");
                }
                Http.Answer accepted = api.post(path, Map.of("Authorization", "Bearer " + API_TOKEN), "{\"triggeredBy\": \"alice\"}");
                answers.add(accepted.text());
                assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
                Http.Answer lowerScheme = api.post("/api/v1/jobs/sec-job-2/trigger",
                        Map.of("Authorization", "bearer " + API_TOKEN), "{}");
                answers.add(lowerScheme.text());
                assertThat(lowerScheme.status()).as("the scheme is case-insensitive").isEqualTo(202);

                // Bodies over the limit (16 KB): 413, with or without a Content-Length, token or not.
                String big = "{\"triggeredBy\": \"" + "a".repeat(20_000) + "\"}";
                Http.Answer tooLarge = api.post(path, Map.of("Authorization", "Bearer " + API_TOKEN), big);
                answers.add(tooLarge.text());
                assertThat(tooLarge.status()).isEqualTo(413);
                assertThat(tooLarge.body().path("status").asInt()).isEqualTo(413);
                assertThat(api.post(path, Map.of(), big).status()).isEqualTo(413);
                assertThat(chunked(service.api().port(), path, 2 * 1024 * 1024)).as("chunked, 2 MB").isEqualTo(413);
                assertThat(api.post(path, Map.of("Authorization", "Bearer " + API_TOKEN), "{\"triggeredBy\": \"bob\"}")
                        .status()).as("the same job within a minute").isEqualTo(429);

                // Every route's answer, the metrics included.
                for (String route : List.of("/api/v1/jobs", "/api/v1/jobs/sec-job", "/api/v1/jobs/sec-job/next?count=3",
                        "/api/v1/jobs/sec-job/runs", "/api/v1/runs", "/api/v1/runs/sec-run", "/api/v1/stuck",
                        "/api/v1/libraries", "/api/v1/libraries/sec-lib", "/health", "/ready", "/metrics", "/openapi.json",
                        "/", "/dashboard/app.js", "/api/v1/nothing", "/api/v1/jobs/unknown")) {
                    Http.Answer answer = api.get(route);
                    assertThat(answer.status()).as(route).isLessThan(500);
                    answers.add(answer.text());
                }
                assertThat(api.get("/metrics").text()).contains("cronstream_api_trigger_requests_total");
            }
        } finally {
            root.setLevel(rootLevel);
            root.detachAppender(capture);
            capture.stop();
        }
        String logged = logs.toString(StandardCharsets.UTF_8);
        assertThat(logged).as("captured log").contains("event=api-started").contains("Kafka Connect");
        for (String secret : List.of(API_TOKEN, MONGO_PASSWORD)) {
            assertThat(logged).as("the log").doesNotContain(secret);
            assertThat(answers).as("API answers").noneMatch(text -> text != null && text.contains(secret));
        }
    }

    /** Starts Connect with the connector on {@code mongoUri}; returns how that went, as text to search for secrets. */
    private static String connect(EmbeddedKafka kafka, Path dir, String mongoUri) {
        try (EmbeddedConnect connect = EmbeddedConnect.start(kafka.bootstrapServers(), 0, dir.resolve("connect"), true,
                List.of(ConnectorDefinition.mongoScheduledJobs().with("connection.uri", mongoUri)))) {
            return String.valueOf(connect.status("mongo-scheduled-jobs"));
        } catch (RuntimeException failed) {
            StringBuilder text = new StringBuilder();
            for (Throwable t = failed; t != null; t = t.getCause()) {
                text.append(t).append('\n');
            }
            return text.toString();
        }
    }

    private static OutputStreamAppender<ILoggingEvent> capture(LoggerContext context, ByteArrayOutputStream sink) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d %level %logger %msg %kvp%n%ex");
        encoder.start();
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setOutputStream(sink);
        appender.start();
        return appender;
    }

    /** A POST whose body has no Content-Length (chunked): the limit must hold while reading. */
    private static int chunked(int port, String path, int size) throws Exception {
        HttpRequest.BodyPublisher unknownLength = HttpRequest.BodyPublishers.fromPublisher(
                subscriber -> HttpRequest.BodyPublishers.ofByteArray(new byte[size]).subscribe(new Flow.Subscriber<>() {
                    @Override
                    public void onSubscribe(Flow.Subscription subscription) {
                        subscriber.onSubscribe(subscription);
                    }

                    @Override
                    public void onNext(ByteBuffer item) {
                        subscriber.onNext(item);
                    }

                    @Override
                    public void onError(Throwable throwable) {
                        subscriber.onError(throwable);
                    }

                    @Override
                    public void onComplete() {
                        subscriber.onComplete();
                    }
                }));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + API_TOKEN).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(20)).POST(unknownLength).build();
        try {
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (java.io.IOException reset) {
            // a server may also stop reading and close: that is a refusal too, but not the answer we promise
            return -1;
        }
    }
}
