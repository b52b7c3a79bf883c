package io.cronstream.connectors;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.output.Slf4jLogConsumer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.mongodb.MongoDBContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The production pieces of docker-compose.yml in Docker, for tests on machines that have it: a real
 * MongoDB replica set and Kafka (the compose file's images), and a Kafka Connect worker started as
 * compose starts it (the same worker properties, the plugin folder the build copies) with the
 * committed {@code connectors/mongo-scheduled-jobs.json} registered over its REST API and RUNNING.
 * Shared with other modules' tests through this module's test jar.
 */
public final class ContainerStack implements AutoCloseable {

    private static final String MONGO_URI_IN_NETWORK = "mongodb://mongo:27017/?directConnection=true";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Network network;
    private final MongoDBContainer mongo;
    private final KafkaContainer kafka;
    private final GenericContainer<?> connect;
    private final ConnectorDefinition connector;

    private ContainerStack(Network network, MongoDBContainer mongo, KafkaContainer kafka, GenericContainer<?> connect,
            ConnectorDefinition connector) {
        this.network = network;
        this.mongo = mongo;
        this.kafka = kafka;
        this.connect = connect;
        this.connector = connector;
    }

    /**
     * @param topics          created before the connector starts ({@code cronstream.jobs} among them)
     * @param beforeConnector runs with MongoDB up and the connector not yet started (for copy_existing)
     */
    public static ContainerStack start(Path workDir, Collection<NewTopic> topics, Consumer<MongoClient> beforeConnector)
            throws Exception {
        Path root = ComposeFile.repositoryRoot();
        Path plugins = ConnectPluginFolderTest.FOLDER;
        if (!Files.isDirectory(plugins)) {
            throw new IllegalStateException("no Connect plugin folder " + plugins + ": run `mvn -pl connectors process-classes`");
        }
        Map<String, Map<String, Object>> services = ComposeFile.load(root).rawServices();
        String kafkaImage = String.valueOf(services.get("kafka").get("image"));
        String mongoImage = String.valueOf(services.get("mongo").get("image"));

        Network network = Network.newNetwork();
        MongoDBContainer mongo = new MongoDBContainer(DockerImageName.parse(mongoImage).asCompatibleSubstituteFor("mongo"))
                .withReplicaSet()
                .withNetwork(network)
                .withNetworkAliases("mongo");
        KafkaContainer kafka = new KafkaContainer(DockerImageName.parse(kafkaImage))
                .withNetwork(network)
                .withNetworkAliases("kafka")
                .withListener("kafka:19092");
        Startables.deepStart(mongo, kafka).join();

        try (MongoClient client = MongoClients.create(mongo.getReplicaSetUrl("scheduler"))) {
            // As docker/mongo/healthcheck.sh does: the connector publishes updates as post-images.
            client.getDatabase("scheduler").runCommand(new org.bson.Document("create", "scheduled_jobs")
                    .append("changeStreamPreAndPostImages", new org.bson.Document("enabled", true)));
            beforeConnector.accept(client);
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBootstrapServers()))) {
            admin.createTopics(topics).all().get();
        }

        // compose's worker, started as compose starts it; only the broker address differs
        Properties worker = new Properties();
        worker.load(new StringReader(Files.readString(root.resolve("docker/connect/connect-distributed.properties"))));
        worker.setProperty("bootstrap.servers", "kafka:19092");
        Path workerFile = workDir.resolve("connect-distributed.properties");
        try (var out = Files.newBufferedWriter(workerFile)) {
            worker.store(out, "docker/connect/connect-distributed.properties for ContainerStack");
        }
        GenericContainer<?> connect = new GenericContainer<>(DockerImageName.parse(kafkaImage))
                .withNetwork(network)
                .withNetworkAliases("connect")
                .withCopyFileToContainer(MountableFile.forHostPath(workerFile, 0644), "/cronstream/connect-distributed.properties")
                .withCopyFileToContainer(MountableFile.forHostPath(plugins), worker.getProperty("plugin.path") + "/mongo-kafka-connect")
                .withEnv("CRONSTREAM_MONGO_URI", MONGO_URI_IN_NETWORK)
                .withEnv("KAFKA_HEAP_OPTS", "-Xmx512m")
                .withCommand("/opt/kafka/bin/connect-distributed.sh", "/cronstream/connect-distributed.properties")
                .withExposedPorts(8083)
                .withLogConsumer(new Slf4jLogConsumer(LoggerFactory.getLogger("connect-container")))
                .waitingFor(Wait.forHttp("/connector-plugins").forPort(8083).forStatusCode(200)
                        .withStartupTimeout(Duration.ofMinutes(3)))
                .dependsOn(kafka, mongo);
        connect.start();

        Path connectorFile = root.resolve("connectors/mongo-scheduled-jobs.json");
        ContainerStack stack = new ContainerStack(network, mongo, kafka, connect, ConnectorDefinition.read(connectorFile));
        stack.register(connectorFile);
        return stack;
    }

    /** Posts the committed file as connector-init does, and waits until the connector and its task run. */
    private void register(Path connectorFile) throws IOException, InterruptedException {
        await().atMost(Duration.ofMinutes(1)).until(() -> get("/connector-plugins").body()
                .contains("com.mongodb.kafka.connect.MongoSourceConnector"));
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(connectUri("/connectors"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofFile(connectorFile)).build(), HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("registering the connector answered " + created.statusCode() + ": " + created.body());
        }
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() -> {
            JsonNode status = JSON.readTree(get("/connectors/" + connector.name() + "/status").body());
            return status.path("connector").path("state").asText().equals("RUNNING")
                    && status.path("tasks").path(0).path("state").asText().equals("RUNNING");
        });
    }

    public String mongoConnectionString() {
        return mongo.getReplicaSetUrl("scheduler");
    }

    public String bootstrapServers() {
        return kafka.getBootstrapServers();
    }

    public URI connectUri(String path) {
        return URI.create("http://" + connect.getHost() + ":" + connect.getMappedPort(8083) + path);
    }

    public HttpResponse<String> get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(connectUri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        for (GenericContainer<?> container : new GenericContainer<?>[] {connect, kafka, mongo}) {
            container.stop();
        }
        network.close();
    }
}
