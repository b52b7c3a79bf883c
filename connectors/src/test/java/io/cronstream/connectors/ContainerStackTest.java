package io.cronstream.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.output.Slf4jLogConsumer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.mongodb.MongoDBContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

/**
 * The production pieces of docker-compose.yml, in Docker: a real MongoDB replica set, Kafka (the
 * compose file's images) and a Kafka Connect worker started as compose starts it (the same worker
 * properties, the plugin folder the build copies), with the committed
 * {@code connectors/mongo-scheduled-jobs.json} registered over the Connect REST API. A job written with
 * the MongoDB driver arrives on {@code cronstream.jobs} keyed by its bare id, as a JSON document, and a
 * delete as a tombstone.
 *
 * <p>Skipped where there is no Docker. Needs {@code connectors/target/plugins/mongo-kafka-connect/},
 * which any build up to {@code process-classes} makes; the images are pulled on the first run.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerStackTest {

    private static final Logger log = LoggerFactory.getLogger(ContainerStackTest.class);
    private static final String TOPIC = "cronstream.jobs";
    private static final String MONGO_URI_IN_NETWORK = "mongodb://mongo:27017/?directConnection=true";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectId COPIED_OBJECT_ID = new ObjectId();

    @TempDir
    static Path tempDir;

    private static Network network;
    private static MongoDBContainer mongo;
    private static KafkaContainer kafka;
    private static GenericContainer<?> connect;
    private static MongoClient mongoClient;
    private static MongoCollection<Document> jobs;
    private static KafkaConsumer<String, String> consumer;
    private static final List<ConsumerRecord<String, String>> records = new CopyOnWriteArrayList<>();
    private static ConnectorDefinition connector;

    @BeforeAll
    static void startStack() throws Exception {
        Path root = ComposeFile.repositoryRoot();
        assertThat(ConnectPluginFolderTest.FOLDER).as("the plugin folder: run `mvn -pl connectors process-classes`").isDirectory();
        Map<String, Map<String, Object>> services = ComposeFile.load(root).rawServices();
        String kafkaImage = String.valueOf(services.get("kafka").get("image"));
        String mongoImage = String.valueOf(services.get("mongo").get("image"));

        network = Network.newNetwork();
        mongo = new MongoDBContainer(DockerImageName.parse(mongoImage).asCompatibleSubstituteFor("mongo"))
                .withReplicaSet()
                .withNetwork(network)
                .withNetworkAliases("mongo");
        kafka = new KafkaContainer(DockerImageName.parse(kafkaImage))
                .withNetwork(network)
                .withNetworkAliases("kafka")
                .withListener("kafka:19092");
        Startables.deepStart(mongo, kafka).join();

        // before the connector: only copy_existing can deliver these
        mongoClient = MongoClients.create(mongo.getReplicaSetUrl("scheduler"));
        jobs = mongoClient.getDatabase("scheduler").getCollection("scheduled_jobs");
        jobs.insertOne(new Document("_id", "copied").append("cron", "0 3 * * *").append("isEnabled", true));
        jobs.insertOne(new Document("_id", COPIED_OBJECT_ID).append("cron", "*/5 * * * *"));

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
                    .all().get();
        }

        // compose's worker, started as compose starts it; only the broker address differs
        Properties worker = new Properties();
        worker.load(new StringReader(Files.readString(root.resolve("docker/connect/connect-distributed.properties"))));
        worker.setProperty("bootstrap.servers", "kafka:19092");
        Path workerFile = tempDir.resolve("connect-distributed.properties");
        try (var out = Files.newBufferedWriter(workerFile)) {
            worker.store(out, "docker/connect/connect-distributed.properties for ContainerStackTest");
        }
        connect = new GenericContainer<>(DockerImageName.parse(kafkaImage))
                .withNetwork(network)
                .withNetworkAliases("connect")
                .withCopyFileToContainer(MountableFile.forHostPath(workerFile, 0644), "/cronstream/connect-distributed.properties")
                .withCopyFileToContainer(MountableFile.forHostPath(ConnectPluginFolderTest.FOLDER),
                        worker.getProperty("plugin.path") + "/mongo-kafka-connect")
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
        connector = ConnectorDefinition.read(connectorFile);
        await().atMost(Duration.ofMinutes(1)).until(() -> get("/connector-plugins").body()
                .contains("com.mongodb.kafka.connect.MongoSourceConnector"));
        // the committed file, as connector-init posts it
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(connectUri("/connectors"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofFile(connectorFile)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode status = JSON.readTree(get("/connectors/" + connector.name() + "/status").body());
            assertThat(status.path("connector").path("state").asText()).isEqualTo("RUNNING");
            assertThat(status.path("tasks")).isNotEmpty();
            assertThat(status.path("tasks").get(0).path("state").asText()).as(status.toString()).isEqualTo("RUNNING");
        });

        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBootstrapServers());
        consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer());
        TopicPartition partition = new TopicPartition(TOPIC, 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
    }

    @AfterAll
    static void stopStack() {
        if (consumer != null) {
            consumer.close();
        }
        if (mongoClient != null) {
            mongoClient.close();
        }
        for (GenericContainer<?> container : new GenericContainer<?>[] {connect, kafka, mongo}) {
            if (container != null) {
                container.stop();
            }
        }
        if (network != null) {
            network.close();
        }
    }

    @Test
    void copiesTheDocumentsThatExistedBeforeTheConnector() {
        awaitRecords("copied", 1);
        awaitRecords(COPIED_OBJECT_ID.toHexString(), 1);
        assertThat(document(recordsFor("copied").get(0)))
                .isEqualTo(Map.of("_id", "copied", "cron", "0 3 * * *", "isEnabled", true));
        assertThat(document(recordsFor(COPIED_OBJECT_ID.toHexString()).get(0)))
                .isEqualTo(Map.of("_id", COPIED_OBJECT_ID.toHexString(), "cron", "*/5 * * * *"));
    }

    @Test
    void publishesInsertsUpdatesAndDeletesKeyedByTheBareIdWithATombstoneForTheDelete() {
        ObjectId id = new ObjectId();
        String key = id.toHexString();
        jobs.insertOne(new Document("_id", id).append("name", "nightly").append("cron", "0 2 * * *"));
        awaitRecords(key, 1);
        jobs.updateOne(Filters.eq("_id", id), Updates.set("isEnabled", false));
        awaitRecords(key, 2);
        jobs.deleteOne(Filters.eq("_id", id));
        awaitRecords(key, 3);

        List<ConsumerRecord<String, String>> published = recordsFor(key);
        assertThat(published).extracting(ConsumerRecord::key).containsOnly(key);
        assertThat(document(published.get(0))).isEqualTo(Map.of("_id", key, "name", "nightly", "cron", "0 2 * * *"));
        assertThat(document(published.get(1)))
                .isEqualTo(Map.of("_id", key, "name", "nightly", "cron", "0 2 * * *", "isEnabled", false));
        assertThat(published.get(2).value()).isNull();
    }

    @Test
    void measuresInsertToRecordLatency() {
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String id = "latency-" + i;
            long written = System.nanoTime();
            jobs.insertOne(new Document("_id", id).append("cron", "* * * * *"));
            awaitRecords(id, 1);
            micros.add((System.nanoTime() - written) / 1_000);
        }
        Collections.sort(micros);
        log.info("containers: insert -> record latency over {} inserts: min {} ms, median {} ms, max {} ms", micros.size(),
                micros.get(0) / 1000.0, micros.get(micros.size() / 2) / 1000.0, micros.get(micros.size() - 1) / 1000.0);
    }

    private static URI connectUri(String path) {
        return URI.create("http://" + connect.getHost() + ":" + connect.getMappedPort(8083) + path);
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(connectUri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitRecords(String key, int count) {
        await().atMost(Duration.ofSeconds(60)).pollInSameThread().pollInterval(Duration.ofMillis(1)).until(() -> {
            consumer.poll(Duration.ofMillis(50)).forEach(records::add);
            return recordsFor(key).size() >= count;
        });
    }

    private static List<ConsumerRecord<String, String>> recordsFor(String key) {
        return records.stream().filter(record -> key.equals(record.key())).toList();
    }

    private static Map<String, Object> document(ConsumerRecord<String, String> record) {
        try {
            return JSON.readValue(record.value(), new TypeReference<>() { });
        } catch (IOException e) {
            throw new AssertionError("not a JSON document: " + record.value(), e);
        }
    }
}
