package io.cronstream.local.faults;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import io.cronstream.app.CronstreamApp;
import io.cronstream.app.CronstreamService;
import io.cronstream.app.Settings;
import io.cronstream.connectors.ConnectorDefinition;
import io.cronstream.devstack.EmbeddedConnect;
import io.cronstream.devstack.EmbeddedKafka;
import io.cronstream.devstack.EmbeddedMongo;
import io.cronstream.local.CronstreamTopics;
import io.cronstream.local.Http;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/**
 * The change-capture path with each part in reach of a test: a broker, a MongoDB-compatible server that can be
 * stopped and started again on its port with its data, the real connector in a Connect worker with its REST API,
 * and a Cronstream instance watching that worker and reconciling with that MongoDB.
 */
final class CdcStack implements AutoCloseable {

    public static final String CONNECTOR = ConnectorDefinition.mongoScheduledJobs().name();

    private final Path dir;
    private final int mongoPort;
    private final EmbeddedKafka kafka;
    private EmbeddedMongo mongo;
    private final EmbeddedConnect connect;
    private final CronstreamService service;
    private final MongoClient client;
    private final HttpClient http = HttpClient.newHttpClient();

    /** @param settings Cronstream settings on top of the stack's own (e.g. {@code cronstream.reconcile.interval}) */
    public CdcStack(Map<String, String> settings) {
        try {
            dir = Files.createTempDirectory("cronstream-cdc-stack");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        mongoPort = FaultKit.freePort();
        kafka = EmbeddedKafka.start(0, dir.resolve("kafka"), true);
        startMongo();
        Map<String, String> all = new HashMap<>(Map.of(
                "cronstream.state.dir", dir.resolve("streams").toString(),
                "cronstream.replication.factor", "1",
                "cronstream.api.mode", "dev",
                "cronstream.api.host", "127.0.0.1",
                "cronstream.api.advertised.host", "localhost",
                "cronstream.api.port", "0",
                "cronstream.bootstrap.servers", kafka.bootstrapServers(),
                "cronstream.mongo.uri", mongo.connectionString(),
                "cronstream.ticker.punctuate.interval", "PT0.2S"));
        all.putAll(settings);
        CronstreamApp app = new CronstreamApp(Settings.of(all));
        kafka.createTopics(CronstreamTopics.all(app.topics(), 3));
        // the task gives up on an unreachable MongoDB after 2 s instead of the driver's 30
        connect = EmbeddedConnect.start(kafka.bootstrapServers(), 0, dir.resolve("connect"), true, List.of(
                ConnectorDefinition.mongoScheduledJobs().with("connection.uri",
                        mongo.connectionString() + "/?serverSelectionTimeoutMS=2000")));
        CronstreamApp watching = new CronstreamApp(Settings.of(all).with("cronstream.connect.url",
                connect.restUrl().toString()));
        service = new CronstreamService(watching, CronstreamApp.apiSettings(watching.settings()), Clock.systemUTC())
                .start();
        client = MongoClients.create(mongo.connectionString());
    }

    public MongoCollection<Document> jobs() {
        return client.getDatabase("scheduler").getCollection("scheduled_jobs");
    }

    public Http api() {
        return new Http("http://localhost:" + service.api().port());
    }

    public CronstreamService service() {
        return service;
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public EmbeddedConnect connect() {
        return connect;
    }

    /** MongoDB goes away, as in an outage: its clients get connection errors. */
    public void stopMongo() {
        mongo.close();
    }

    /** MongoDB back on its port, with its data. */
    public void startMongo() {
        mongo = EmbeddedMongo.persistent(mongoPort, dir.resolve("mongo"), false);
    }

    /** A call to the Connect worker's REST API: its status code and body. */
    public HttpResponse<String> connectRest(String method, String path, String json) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(connect.restUrl().toString().replaceAll("/$", "") + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The connector's and its task's state, as the worker reports them (e.g. {@code RUNNING/RUNNING}). */
    public String connectorState() {
        var status = connect.status(CONNECTOR);
        return status.connector().state() + "/" + String.join(",",
                status.tasks().stream().map(task -> task.state()).toList());
    }

    /** Cronstream first, then the worker, while the server it reads and the broker it writes to are up. */
    @Override
    public void close() {
        EmbeddedMongo server = mongo;
        try (kafka; server; connect) {
            client.close();
            service.close();
        }
    }
}
