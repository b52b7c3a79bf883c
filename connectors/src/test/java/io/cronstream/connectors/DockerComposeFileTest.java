package io.cronstream.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;

/**
 * {@code docker-compose.yml} and the files it uses, checked without Docker: the Compose
 * Specification's schema, the services' wiring (images, dependencies, health checks, ports, mounts),
 * the connector registration from the committed connector file, no secrets in committed files, and
 * Cronstream's environment against the settings it reads.
 */
class DockerComposeFileTest {

    /** DESIGN §3. */
    private static final List<String> TOPICS = List.of("cronstream.jobs", "cronstream.commands", "cronstream.job-due",
            "cronstream.stage-progress", "cronstream.file-changes", "cronstream.run-status", "cronstream.stuck-runs",
            "cronstream.dlq", "cronstream.alerts", "cronstream.run-control", "cronstream.job-graph");
    private static final String SERVICE_MAIN = "io.cronstream.app.CronstreamService";
    /** Environment variable names that hold secrets, by their name. */
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(PASSWORD|PASSWD|PWD|TOKEN|SECRET|CREDENTIAL|PRIVATE_KEY).*");
    /** {@code scheme://user:password@}: the password part. */
    private static final Pattern URI_PASSWORD = Pattern.compile("://[^/\\s:@]+:([^/@\\s]+)@");
    /** Settings reads in the sources: {@code settings.string("cronstream.x.y", ...)}. */
    private static final Pattern SETTING_READ = Pattern.compile(
            "\\.(?:string|integer|duration|bool)\\(\\s*\"(cronstream\\.[a-z0-9.]+)\"");
    /**
     * What {@code ApiSettings} reads (DESIGN §7, the api module's settings), for checkouts that do not
     * have the api module yet; where it exists, its sources are read instead.
     */
    private static final Set<String> API_SETTINGS_WITHOUT_API_MODULE = Set.of("cronstream.api.port",
            "cronstream.api.host", "cronstream.api.token", "cronstream.api.advertised.host", "cronstream.api.mode");

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path root;
    private static ComposeFile compose;
    private static Map<String, String> envExample;
    /** The file interpolated as with a {@code .env} made from .env.example, its empty values filled in. */
    private static Map<String, Object> config;
    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() {
        root = ComposeFile.repositoryRoot();
        compose = ComposeFile.load(root);
        envExample = ComposeFile.readEnvFile(root.resolve(".env.example"));
        Map<String, String> env = new LinkedHashMap<>(envExample);
        env.replaceAll((name, value) -> value.isEmpty() ? "filled-in-" + name.toLowerCase(Locale.ROOT) : value);
        config = compose.interpolated(env);
        services = (Map<String, Map<String, Object>>) (Map<?, ?>) config.get("services");
    }

    // --- the Compose Specification ---------------------------------------------------------------------

    @Test
    void isAValidComposeFileByTheComposeSpecificationSchema() {
        assertThat(schemaErrors(JSON.valueToTree(config))).isEmpty();
    }

    @Test
    void theSchemaCheckCatchesMistakes() {
        ObjectNode broken = JSON.valueToTree(config);
        ((ObjectNode) broken.path("services").path("kafka")).put("imagee", "apache/kafka:4.3.1");
        ((ObjectNode) broken.path("services").path("mongo")).put("restart", 3);
        assertThat(schemaErrors(broken)).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void everyRequiredVariableIsListedInEnvExampleAndMissingOnesStopCompose() {
        Set<String> required = compose.requiredVariables();
        assertThat(required).contains("MONGO_ROOT_PASSWORD", "MONGO_CONNECT_PASSWORD", "MONGO_WRITER_PASSWORD",
                "CRONSTREAM_API_TOKEN");
        assertThat(envExample.keySet()).containsAll(required);
        // every other variable has a default here or a value in .env.example
        compose.references().stream().filter(reference -> !reference.required() && !reference.hasDefault())
                .forEach(reference -> assertThat(envExample).as(reference.name()).containsKey(reference.name()));
        // without a .env, compose stops before starting anything
        assertThatThrownBy(() -> compose.interpolated(Map.of())).hasMessageContaining("required variable");
    }

    @Test
    void interpolationFollowsComposeRules() {
        Map<String, String> env = Map.of("SET", "x", "EMPTY", "");
        assertThat(ComposeFile.interpolate("${SET}-${UNSET}-${EMPTY:-d}-${EMPTY-d}-${UNSET:-d}-$$SET-$SET", env))
                .isEqualTo("x--d--d-$SET-x");
        assertThat(ComposeFile.interpolate("${SET:+alt}${EMPTY:+alt}${EMPTY+alt}", env)).isEqualTo("altalt");
        assertThatThrownBy(() -> ComposeFile.interpolate("${EMPTY:?needed}", env)).hasMessageContaining("needed");
        assertThat(ComposeFile.interpolate("${EMPTY?needed}", env)).isEmpty();
    }

    // --- services and their wiring ---------------------------------------------------------------------

    @Test
    void hasTheServicesOfAProductionLikeStack() {
        assertThat(services).containsOnlyKeys("kafka", "mongo", "kafka-init", "connect", "connector-init", "cronstream");
    }

    @Test
    void everyServiceHasAnImageOrABuildAndImagesArePinned() {
        services.forEach((name, service) -> {
            assertThat(service.containsKey("image") || service.containsKey("build")).as(name + " image or build").isTrue();
            if (service.containsKey("image") && !service.containsKey("build")) {
                String image = String.valueOf(service.get("image"));
                assertThat(image).as(name + " image tag").matches("[a-z0-9./_-]+:[A-Za-z0-9._-]+")
                        .doesNotEndWith(":latest");
            }
        });
    }

    @Test
    void kafkaAndConnectRunTheOfficialKafka4ImageInKraftMode() {
        for (String name : List.of("kafka", "kafka-init", "connect")) {
            assertThat(String.valueOf(services.get(name).get("image"))).as(name).matches("apache/kafka:4\\.\\d+\\.\\d+");
        }
        assertThat(services.get("connect").get("image")).isEqualTo(services.get("kafka").get("image"));
        Map<String, String> kafka = ComposeFile.environment(services.get("kafka"));
        assertThat(kafka).containsEntry("KAFKA_PROCESS_ROLES", "broker,controller").containsKey("CLUSTER_ID")
                .doesNotContainKey("KAFKA_ZOOKEEPER_CONNECT");
        assertThat(kafka.get("CLUSTER_ID")).matches("[A-Za-z0-9_-]{22}");
        // exactly_once_v2 on one broker needs a transaction log it can write
        assertThat(kafka).containsEntry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                .containsEntry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                .containsEntry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
        assertThat(List.of(kafka.get("KAFKA_ADVERTISED_LISTENERS").split(","))).contains("INTERNAL://kafka:9092");
    }

    @Test
    void dependsOnNamesExistingServicesWithConditionsTheyCanMeet() {
        services.forEach((name, service) -> ComposeFile.dependsOn(service).forEach((target, condition) -> {
            assertThat(services).as(name + " depends on " + target).containsKey(target);
            assertThat(target).as(name + " depends on itself").isNotEqualTo(name);
            switch (condition) {
                case "service_healthy" -> assertThat(hasHealthcheck(services.get(target)))
                        .as(name + " waits for " + target + " to be healthy: it needs a healthcheck").isTrue();
                case "service_completed_successfully" -> assertThat(services.get(target).get("restart"))
                        .as(name + " waits for one-shot " + target + ", which must not restart").isEqualTo("no");
                case "service_started" -> { }
                default -> throw new AssertionError(name + ": unknown condition " + condition);
            }
        }));
        // and no cycle: every service can be started in some order
        Set<String> started = new HashSet<>();
        boolean progress = true;
        while (progress) {
            progress = false;
            for (var entry : services.entrySet()) {
                if (!started.contains(entry.getKey()) && started.containsAll(ComposeFile.dependsOn(entry.getValue()).keySet())) {
                    progress = started.add(entry.getKey());
                }
            }
        }
        assertThat(started).containsExactlyInAnyOrderElementsOf(services.keySet());
    }

    @Test
    void publishedPortsDoNotClashAndEveryReplicaGetsOne() {
        List<ComposeFile.PublishedPort> ports = new ArrayList<>();
        services.forEach((name, service) -> {
            List<ComposeFile.PublishedPort> own = ComposeFile.publishedPorts(name, service);
            int replicas = replicas(service);
            if (!own.isEmpty() && replicas > 1) {
                long perContainerPort = countContainerPorts(service);
                assertThat((long) own.size()).as(name + ": " + replicas + " replicas need as many host ports per container port")
                        .isGreaterThanOrEqualTo(replicas * perContainerPort);
            }
            ports.addAll(own);
        });
        assertThat(ports).isNotEmpty();
        for (int i = 0; i < ports.size(); i++) {
            for (int j = i + 1; j < ports.size(); j++) {
                assertThat(ports.get(i).clashesWith(ports.get(j))).as(ports.get(i) + " vs " + ports.get(j)).isFalse();
            }
        }
        // published on this machine only unless BIND_ADDRESS says otherwise
        assertThat(ports).extracting(ComposeFile.PublishedPort::hostIp).containsOnly("127.0.0.1");
    }

    @Test
    void portRangesAndClashesAreUnderstood() {
        Map<String, Object> service = Map.of("ports", List.of("127.0.0.1:7070-7071:7070", "9000:9000/udp", "8080",
                Map.of("target", 80, "published", "8081", "host_ip", "0.0.0.0")));
        assertThat(ComposeFile.publishedPorts("s", service)).containsExactly(
                new ComposeFile.PublishedPort("s", "127.0.0.1", 7070, "tcp"),
                new ComposeFile.PublishedPort("s", "127.0.0.1", 7071, "tcp"),
                new ComposeFile.PublishedPort("s", "", 9000, "udp"),
                new ComposeFile.PublishedPort("s", "0.0.0.0", 8081, "tcp"));
        var local = new ComposeFile.PublishedPort("a", "127.0.0.1", 7070, "tcp");
        assertThat(local.clashesWith(new ComposeFile.PublishedPort("b", "", 7070, "tcp"))).isTrue();
        assertThat(local.clashesWith(new ComposeFile.PublishedPort("b", "127.0.0.2", 7070, "tcp"))).isFalse();
        assertThat(local.clashesWith(new ComposeFile.PublishedPort("b", "127.0.0.1", 7070, "udp"))).isFalse();
    }

    @Test
    void everyBindMountSourceIsInTheRepository() {
        services.forEach((name, service) -> ComposeFile.mounts(service).stream().filter(ComposeFile.Mount::isBind)
                .forEach(mount -> {
                    assertThat(mount.source()).as(name + " mounts a path relative to the repository").startsWith("./");
                    assertThat(mount.readOnly()).as(name + " mounts " + mount.source() + " read-only").isTrue();
                    if (!mount.source().startsWith("./connectors/target/")) { // a build output, checked below
                        assertThat(root.resolve(mount.source())).as(name + " mounts " + mount.source()).exists();
                    }
                }));
        Map<String, Object> volumes = asMap(config.get("volumes"));
        services.forEach((name, service) -> ComposeFile.mounts(service).stream()
                .filter(mount -> !mount.isBind() && mount.source() != null)
                .forEach(mount -> assertThat(volumes).as(name + " uses volume " + mount.source()).containsKey(mount.source())));
    }

    // --- MongoDB, topics, Connect and the connector ---------------------------------------------------------

    @Test
    void mongoIsAOneMemberReplicaSetThatItsHealthcheckInitiates() throws IOException {
        Map<String, Object> mongo = services.get("mongo");
        List<String> command = strings(mongo.get("command"));
        String replicaSet = command.get(command.indexOf("--replSet") + 1);
        assertThat(command).contains("--keyFile", "--bind_ip_all");
        String healthcheck = Files.readString(mountedFile(mongo, strings(asMap(mongo.get("healthcheck")).get("test")).get(2)));
        assertThat(healthcheck).contains("rs.initiate(", "_id: \"" + replicaSet + "\"", "NotYetInitialized", "isWritablePrimary");
        // the connector reaches it as that replica set, as the member the healthcheck names
        String uri = ComposeFile.environment(services.get("connect")).get("CRONSTREAM_MONGO_URI");
        assertThat(uri).contains("replicaSet=" + replicaSet).contains("@" + ComposeFile.environment(mongo).get("MONGO_REPLICA_SET_HOST") + "/");
        assertThat(ComposeFile.mounts(mongo)).anySatisfy(mount ->
                assertThat(mount.target()).startsWith("/docker-entrypoint-initdb.d/").endsWith(".js"));
    }

    @Test
    void cronstreamWritesJobsAsAReadWriteUserTheMongoInitScriptCreates() throws IOException {
        Map<String, Object> mongo = services.get("mongo");
        Map<String, String> mongoEnv = ComposeFile.environment(mongo);
        Map<String, Object> cronstream = services.get("cronstream");
        Map<String, String> env = ComposeFile.environment(cronstream);
        // without a URI every write route answers 503 (issue 15)
        String uri = env.get("CRONSTREAM_MONGO_URI");
        assertThat(uri).as("cronstream's CRONSTREAM_MONGO_URI").isNotNull();
        Matcher parts = Pattern.compile("mongodb://([^:@/]+):([^@/]+)@([^/]+)/\\?(.*)").matcher(uri);
        assertThat(parts.matches()).as(uri).isTrue();
        List<String> command = strings(mongo.get("command"));
        assertThat(parts.group(3)).isEqualTo(mongoEnv.get("MONGO_REPLICA_SET_HOST"));
        assertThat(List.of(parts.group(4).split("&")))
                .contains("replicaSet=" + command.get(command.indexOf("--replSet") + 1), "authSource=admin");
        String writer = parts.group(1);
        assertThat(writer).as("the writer user the mongo service creates").isEqualTo(mongoEnv.get("MONGO_WRITER_USERNAME"))
                .isNotEqualTo(mongoEnv.get("MONGO_CONNECT_USERNAME"))
                .isNotEqualTo(mongoEnv.get("MONGO_INITDB_ROOT_USERNAME"));
        assertThat(parts.group(2)).isEqualTo(mongoEnv.get("MONGO_WRITER_PASSWORD"));
        // the collection the connector reads is the one the API writes
        ConnectorDefinition connector = ConnectorDefinition.read(root.resolve("connectors/mongo-scheduled-jobs.json"));
        String database = env.getOrDefault("CRONSTREAM_MONGO_DATABASE", "scheduler");
        assertThat(database).isEqualTo(connector.config().get("database"));
        assertThat(env.getOrDefault("CRONSTREAM_MONGO_COLLECTION", "scheduled_jobs"))
                .isEqualTo(connector.config().get("collection"));
        assertThat(ComposeFile.dependsOn(cronstream)).containsEntry("mongo", "service_healthy");

        // an init script creates the writer from the mongo service's variables, with readWrite on that database only;
        // the connector's user keeps read only
        Map<String, String> roles = new LinkedHashMap<>();
        for (ComposeFile.Mount mount : ComposeFile.mounts(mongo)) {
            if (mount.isBind() && mount.target().startsWith("/docker-entrypoint-initdb.d/")) {
                String script = Files.readString(root.resolve(mount.source()));
                Matcher user = Pattern.compile("process\\.env\\.(MONGO_[A-Z]+)_USERNAME").matcher(script);
                Matcher granted = Pattern.compile("roles:\\s*(\\[[^\\]]*])").matcher(script);
                assertThat(user.find() && granted.find()).as(mount.source() + " creates a user with roles").isTrue();
                assertThat(script).contains("process.env." + user.group(1) + "_PASSWORD");
                roles.put(user.group(1), granted.group(1).replaceAll("\\s+", ""));
            }
        }
        assertThat(roles).containsEntry("MONGO_WRITER", "[{role:'readWrite',db:'" + database + "'}]")
                .containsEntry("MONGO_CONNECT", "[{role:'read',db:'" + connector.config().get("database") + "'}]");
    }

    @Test
    void kafkaInitCreatesEveryTopicWithJobsCompactedAndEqualPartitionsForJobsAndCommands() throws IOException {
        Map<String, Object> init = services.get("kafka-init");
        String script = Files.readString(mountedFile(init, strings(init.get("command")).get(1)));
        for (String topic : TOPICS) {
            assertThat(script).as(topic).contains("\"" + topic + "|");
        }
        assertThat(script).contains("\"cronstream.jobs|cleanup.policy=compact,max.message.bytes=$jobs_record_bytes\"")
                .contains("--entity-name cronstream.jobs --add-config \"max.message.bytes=$jobs_record_bytes\"")
                .contains("\"cronstream.job-graph|cleanup.policy=compact\"")
                .contains("for compacted in cronstream.jobs cronstream.job-graph; do")
                .contains("--entity-name \"$compacted\" --add-config cleanup.policy=compact");
        // the jobs topic takes the largest record the connector sends
        int connectorRecordBytes = ConnectorDefinition.read(root.resolve("connectors/mongo-scheduled-jobs.json"))
                .maxRecordBytes();
        assertThat(script).contains("\njobs_record_bytes=" + connectorRecordBytes + "\n");
        Map<String, String> env = ComposeFile.environment(init);
        assertThat(env.get("BOOTSTRAP_SERVERS")).isEqualTo("kafka:9092");
        assertThat(Integer.parseInt(env.get("TOPIC_PARTITIONS"))).isPositive();
        assertThat(env.get("TOPIC_REPLICATION_FACTOR"))
                .isEqualTo(ComposeFile.environment(services.get("cronstream")).get("CRONSTREAM_REPLICATION_FACTOR"));
        // the connector must not write to cronstream.jobs before it exists compacted
        assertThat(ComposeFile.dependsOn(services.get("connect"))).containsEntry("kafka-init", "service_completed_successfully");
    }

    @Test
    void connectRunsTheDistributedWorkerWithTheMavenBuiltPluginFolder() throws IOException {
        Map<String, Object> connect = services.get("connect");
        List<String> command = strings(connect.get("command"));
        assertThat(command.get(0)).isEqualTo("/opt/kafka/bin/connect-distributed.sh");
        Properties worker = workerProperties();
        assertThat(worker.getProperty("bootstrap.servers")).isEqualTo("kafka:9092");
        assertThat(worker.getProperty("group.id")).isNotBlank();
        assertThat(worker.getProperty("listeners")).endsWith(":8083");
        // ${env:...} in the connector config needs the env config provider
        assertThat(worker.getProperty("config.providers")).contains("env");
        assertThat(worker.getProperty("config.providers.env.class"))
                .isEqualTo("org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        // the connector's producer overrides, and nothing more, are allowed
        assertThat(worker.getProperty("connector.client.config.override.policy")).isEqualTo("Allowlist");
        List<String> overrides = ConnectorDefinition.read(root.resolve("connectors/mongo-scheduled-jobs.json")).config()
                .keySet().stream().filter(key -> key.startsWith("producer.override."))
                .map(key -> key.substring("producer.override.".length())).toList();
        assertThat(overrides).isNotEmpty();
        assertThat(List.of(worker.getProperty("connector.client.config.override.allowlist", "").split(",")))
                .containsExactlyInAnyOrderElementsOf(overrides);

        ComposeFile.Mount plugins = ComposeFile.mounts(connect).stream()
                .filter(mount -> mount.target().equals(worker.getProperty("plugin.path"))).findFirst()
                .orElseThrow(() -> new AssertionError("nothing mounted at plugin.path " + worker.getProperty("plugin.path")));
        assertThat(plugins.source()).isEqualTo("./connectors/target/plugins");
        assertThat(asMap(rawMount(compose.rawServices().get("connect"), plugins.target()).get("bind")))
                .as("a missing plugin folder must stop compose, not be created empty").containsEntry("create_host_path", false);
        // what `mvn package` (any build up to process-classes) put there: one folder per plugin
        Path folder = root.resolve("connectors/target/plugins/mongo-kafka-connect");
        assertThat(folder).isDirectory();
        assertThat(jarNames(folder)).anyMatch(jar -> jar.startsWith("mongo-kafka-connect-"));
    }

    @Test
    void theConnectorIsRegisteredFromTheCommittedConnectorFile() throws IOException {
        Map<String, Object> init = services.get("connector-init");
        Map<String, String> env = ComposeFile.environment(init);
        Path file = mountedFile(init, env.get("CONNECTOR_FILE"));
        assertThat(file.normalize()).isEqualTo(root.resolve("connectors/mongo-scheduled-jobs.json"));
        ConnectorDefinition connector = ConnectorDefinition.read(file);
        assertThat(env).containsEntry("CONNECTOR_NAME", connector.name());
        assertThat(env.get("CONNECT_URL")).isEqualTo("http://connect:" + workerProperties().getProperty("listeners").replaceAll(".*:", ""));
        assertThat(ComposeFile.dependsOn(init)).containsEntry("connect", "service_healthy");

        List<String> entrypoint = strings(init.get("entrypoint"));
        String script = Files.readString(mountedFile(init, entrypoint.get(entrypoint.size() - 1)));
        // posted as it is, byte for byte
        assertThat(script).contains("--data-binary \"@$CONNECTOR_FILE\"").contains("POST /connectors")
                .contains(connector.config().get("connector.class"));

        // every ${env:VAR} the connector reads is set on the worker
        Map<String, String> workerEnv = ComposeFile.environment(services.get("connect"));
        Matcher env_ = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}").matcher(String.join("\n", connector.config().values()));
        List<String> needed = new ArrayList<>();
        while (env_.find()) {
            needed.add(env_.group(1));
        }
        assertThat(needed).isNotEmpty();
        assertThat(workerEnv).containsKeys(needed.toArray(String[]::new));
    }

    @Test
    void theShellScriptsParse() throws Exception {
        Map<String, String> scripts = Map.of(
                "docker/kafka/create-topics.sh", "bash",
                "docker/connect/healthcheck.sh", "bash",
                "docker/connect/register-connector.sh", "sh", // runs in the curl image's busybox sh
                "docker/mongo/mongo-entrypoint.sh", "bash",
                "docker/mongo/healthcheck.sh", "bash");
        for (var script : scripts.entrySet()) {
            assertThat(root.resolve(script.getKey())).exists();
            Path shell = Path.of("/bin", script.getValue());
            org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(shell), shell + " is needed");
            Process process = new ProcessBuilder(shell.toString(), "-n", root.resolve(script.getKey()).toString())
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            assertThat(process.waitFor()).as(script.getKey() + ": " + output).isZero();
        }
    }

    // --- secrets --------------------------------------------------------------------------------------------

    @Test
    void noSecretValueIsWrittenInTheComposeFile() {
        List<String> uriPasswords = new ArrayList<>();
        compose.rawServices().forEach((name, service) -> ComposeFile.environment(service).forEach((key, value) -> {
            if (value == null) {
                return;
            }
            if (SECRET_NAME.matcher(key).matches() && !key.endsWith("_FILE")) {
                assertThat(value).as(name + " " + key + " comes from a required variable, with no default")
                        .matches("\\$\\{[A-Za-z_][A-Za-z0-9_]*(:?\\?[^}]*)?}");
            }
            List<ComposeFile.Reference> references = new ArrayList<>();
            Matcher password = URI_PASSWORD.matcher(ComposeFile.maskReferences(value, references));
            while (password.find()) {
                assertThat(password.group(1)).as(name + " " + key + ": the password in the URI is one variable")
                        .matches("<\\d+>");
                ComposeFile.Reference reference = references.get(Integer.parseInt(password.group(1).replaceAll("[<>]", "")));
                assertThat(reference.required()).as(name + " " + key + ": " + reference.name() + " is required").isTrue();
                uriPasswords.add(reference.name());
            }
        }));
        assertThat(uriPasswords).as("the connector's and cronstream's MongoDB URIs")
                .contains("MONGO_CONNECT_PASSWORD", "MONGO_WRITER_PASSWORD");
        // no secret has a default anywhere in the file
        compose.references().stream().filter(reference -> SECRET_NAME.matcher(reference.name()).matches())
                .forEach(reference -> assertThat(reference.hasDefault()).as(reference.name() + " has a default").isFalse());
        // and nothing that looks like credentials is written out, wherever it is
        assertThat(compose.text()).doesNotContainPattern("(?i)(password|token|secret)\\s*[:=]\\s*['\"]?[A-Za-z0-9+/_-]{6,}")
                .doesNotContainPattern("://[^\\s$:/@]+:[^\\s$@]+@");
    }

    @Test
    void envExampleHoldsNoSecretsAndDotEnvIsIgnoredByGit() throws IOException {
        envExample.forEach((name, value) -> {
            if (SECRET_NAME.matcher(name).matches()) {
                assertThat(value).as(name + " in .env.example").isEmpty();
            }
        });
        assertThat(Files.readAllLines(root.resolve(".gitignore"))).contains(".env");
        assertThat(Files.readString(root.resolve("docker/connect/connect-distributed.properties")))
                .doesNotContainPattern("(?i)(password|secret)\\s*=");
    }

    // --- Cronstream ---------------------------------------------------------------------------------------

    @Test
    void cronstreamIsBuiltFromTheDockerfileAsANonRootJre17ImageRunningTheService() throws IOException {
        Map<String, Object> cronstream = services.get("cronstream");
        Map<String, Object> build = asMap(cronstream.get("build"));
        assertThat(build).containsEntry("context", ".");
        String dockerfile = Files.readString(root.resolve(String.valueOf(build.getOrDefault("dockerfile", "Dockerfile"))));
        List<String> instructions = dockerfileInstructions(dockerfile);

        assertThat(instructions.stream().filter(i -> i.startsWith("FROM ")).toList())
                .singleElement().asString().matches("FROM eclipse-temurin:17-jre(-[a-z]+)?");
        String user = instructions.stream().filter(i -> i.startsWith("USER ")).reduce((a, b) -> b).orElse("USER root");
        assertThat(user.substring(5).split(":")[0]).as("runs as").isNotIn("root", "0");
        // /health answers 200 while the process lives: the check reads whether Kafka Streams is
        assertThat(instructions).anySatisfy(i -> assertThat(i).startsWith("HEALTHCHECK ").contains("/health")
                .contains("\"live\":true"));
        String cmd = instructions.stream().filter(i -> i.startsWith("CMD ")).reduce((a, b) -> b).orElseThrow();
        assertThat(cmd).contains(SERVICE_MAIN).contains("\"-cp\", \"/opt/cronstream/lib/*\"");

        // it copies what `mvn -DskipTests package` makes: the api jar and its runtime classpath in
        // app/target/lib, copied by the parent pom's profile, which is active in the module with the main class
        assertThat(instructions).contains("COPY app/target/lib/ /opt/cronstream/lib/",
                "COPY app/target/cronstream-app-*.jar /opt/cronstream/lib/");
        String parentPom = Files.readString(root.resolve("pom.xml"));
        String mainSource = "src/main/java/" + SERVICE_MAIN.replace('.', '/') + ".java";
        assertThat(parentPom).contains("<exists>${basedir}/" + mainSource + "</exists>")
                .contains("<outputDirectory>${project.build.directory}/lib</outputDirectory>");
        if (Files.isDirectory(root.resolve("app"))) {
            assertThat(root.resolve("app").resolve(mainSource)).exists();
            assertThat(Files.readString(root.resolve("app/pom.xml"))).contains("<artifactId>cronstream-app</artifactId>");
        }
        // everything COPY reads is in the build context
        String dockerignore = Files.readString(root.resolve(".dockerignore"));
        assertThat(dockerignore).contains("!app/target/lib", "!app/target/cronstream-app-*.jar", "!docker/cronstream");
        assertThat(root.resolve("docker/cronstream/logback.xml")).exists();
    }

    @Test
    void cronstreamRunsTwoInstancesWithStandbyReplicasAgainstTheComposeKafka() {
        Map<String, Object> cronstream = services.get("cronstream");
        Map<String, String> env = ComposeFile.environment(cronstream);
        assertThat(replicas(cronstream)).isGreaterThanOrEqualTo(2);
        assertThat(Integer.parseInt(env.get("CRONSTREAM_KAFKA_NUM_STANDBY_REPLICAS"))).isPositive();
        assertThat(env).containsEntry("CRONSTREAM_BOOTSTRAP_SERVERS", "kafka:9092").containsKey("CRONSTREAM_API_TOKEN");
        // a replica's state directory is its own: a fixed container_name or a shared named volume would collide
        assertThat(cronstream).doesNotContainKey("container_name").doesNotContainKey("hostname");
        assertThat(ComposeFile.mounts(cronstream)).noneMatch(mount -> mount.target().startsWith("/var/lib/cronstream"));
        assertThat(ComposeFile.dependsOn(cronstream)).containsEntry("kafka-init", "service_completed_successfully");
    }

    @Test
    void cronstreamWatchesTheConnectorOfTheComposeWorker() throws IOException {
        Map<String, String> env = ComposeFile.environment(services.get("cronstream"));
        Properties worker = workerProperties();
        assertThat(env.get("CRONSTREAM_CONNECT_URL")).isEqualTo("http://connect:"
                + worker.getProperty("listeners").replaceAll(".*:", ""));
        assertThat(env.get("CRONSTREAM_CONNECT_CONNECTOR"))
                .isEqualTo(ComposeFile.environment(services.get("connector-init")).get("CONNECTOR_NAME"));
    }

    @Test
    void cronstreamVariablesAreSettingsCronstreamReads() throws IOException {
        Set<String> known = settingsReadBySources();
        assertThat(known).as("settings found in the sources").contains("cronstream.bootstrap.servers",
                "cronstream.application.id", "cronstream.state.dir", "cronstream.replication.factor");
        Set<String> kafkaNames = kafkaConfigNames();
        ComposeFile.environment(services.get("cronstream")).keySet().stream().filter(name -> name.startsWith("CRONSTREAM_"))
                .forEach(name -> {
                    assertThat(name).matches("CRONSTREAM_[A-Z0-9_]+");
                    // Settings.load: CRONSTREAM_API_PORT -> cronstream.api.port
                    String key = name.toLowerCase(Locale.ROOT).replace('_', '.');
                    if (key.startsWith("cronstream.kafka.")) {
                        assertThat(kafkaNames).as(name + " passes " + key.substring(17) + " to Kafka Streams")
                                .contains(key.substring("cronstream.kafka.".length()));
                    } else {
                        assertThat(known).as(name + " (" + key + ") is a setting Cronstream reads").contains(key);
                    }
                });
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    private static List<String> schemaErrors(JsonNode document) {
        try {
            JsonNode schemaNode = JSON.readTree(DockerComposeFileTest.class.getResourceAsStream("/compose-spec/compose-spec.json"));
            SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7,
                    builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder().locale(Locale.ENGLISH).build()));
            // located at an address of its own, so that its internal references resolve inside the file
            Schema schema = registry.getSchema(SchemaLocation.of("https://cronstream.invalid/compose-spec/compose_spec.json"), schemaNode);
            return schema.validate(document).stream()
                    .map((Error error) -> error.getInstanceLocation() + ": " + error.getMessage()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean hasHealthcheck(Map<String, Object> service) {
        if (service.get("healthcheck") instanceof Map<?, ?> healthcheck) {
            return !Boolean.TRUE.equals(healthcheck.get("disable")) && healthcheck.get("test") != null;
        }
        if (service.get("build") instanceof Map<?, ?> build) {
            Path dockerfile = root.resolve(String.valueOf(build.get("context")))
                    .resolve(build.get("dockerfile") == null ? "Dockerfile" : String.valueOf(build.get("dockerfile")));
            return ComposeFile.read(dockerfile).lines().anyMatch(line -> line.startsWith("HEALTHCHECK "));
        }
        return false;
    }

    private static int replicas(Map<String, Object> service) {
        if (service.get("deploy") instanceof Map<?, ?> deploy && deploy.get("replicas") != null) {
            return Integer.parseInt(String.valueOf(deploy.get("replicas")));
        }
        return service.get("scale") == null ? 1 : Integer.parseInt(String.valueOf(service.get("scale")));
    }

    private static long countContainerPorts(Map<String, Object> service) {
        return strings(service.get("ports")).stream().filter(port -> !port.startsWith("{")).count();
    }

    /** The repository file a service mounts at {@code target}. */
    private static Path mountedFile(Map<String, Object> service, String target) {
        return ComposeFile.mounts(service).stream().filter(mount -> mount.target().equals(target) && mount.isBind())
                .map(mount -> root.resolve(mount.source()).normalize()).findFirst()
                .orElseThrow(() -> new AssertionError("nothing is mounted at " + target));
    }

    private static Map<String, Object> rawMount(Map<String, Object> rawService, String target) {
        for (Object item : (List<?>) rawService.get("volumes")) {
            if (item instanceof Map<?, ?> map && target.equals(map.get("target"))) {
                return asMap(map);
            }
        }
        throw new AssertionError("no long-syntax mount at " + target);
    }

    private static Properties workerProperties() throws IOException {
        Map<String, Object> connect = services.get("connect");
        Properties properties = new Properties();
        properties.load(new StringReader(Files.readString(mountedFile(connect, strings(connect.get("command")).get(1)))));
        return properties;
    }

    private static Set<String> settingsReadBySources() throws IOException {
        Set<String> keys = new TreeSet<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path sources : modules.map(module -> module.resolve("src/main/java")).filter(Files::isDirectory).toList()) {
                try (Stream<Path> files = Files.walk(sources)) {
                    for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                        Matcher matcher = SETTING_READ.matcher(Files.readString(file));
                        while (matcher.find()) {
                            keys.add(matcher.group(1));
                        }
                    }
                }
            }
        }
        if (!Files.isDirectory(root.resolve("api/src/main/java"))) {
            keys.addAll(API_SETTINGS_WITHOUT_API_MODULE);
        }
        return keys;
    }

    /** What Kafka Streams takes: its own settings and its clients', plain or with their prefixes. */
    private static Set<String> kafkaConfigNames() {
        Set<String> names = new HashSet<>(StreamsConfig.configDef().names());
        Map<String, Set<String>> clients = Map.of(
                StreamsConfig.CONSUMER_PREFIX, ConsumerConfig.configNames(),
                StreamsConfig.MAIN_CONSUMER_PREFIX, ConsumerConfig.configNames(),
                StreamsConfig.RESTORE_CONSUMER_PREFIX, ConsumerConfig.configNames(),
                StreamsConfig.GLOBAL_CONSUMER_PREFIX, ConsumerConfig.configNames(),
                StreamsConfig.PRODUCER_PREFIX, ProducerConfig.configNames(),
                StreamsConfig.ADMIN_CLIENT_PREFIX, AdminClientConfig.configNames());
        clients.forEach((prefix, configs) -> configs.forEach(config -> {
            names.add(config);
            names.add(prefix + config);
        }));
        return names;
    }

    /** Dockerfile instructions, continuation lines joined, comments dropped. */
    private static List<String> dockerfileInstructions(String dockerfile) {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : dockerfile.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.length() == 0)) {
                continue;
            }
            boolean continues = trimmed.endsWith("\\");
            current.append(continues ? trimmed.substring(0, trimmed.length() - 1).strip() : trimmed).append(continues ? " " : "");
            if (!continues) {
                instructions.add(current.toString().strip());
                current.setLength(0);
            }
        }
        return instructions;
    }

    private static List<String> jarNames(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".jar")).sorted().toList();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    private static List<String> strings(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return value == null ? List.of() : List.of(String.valueOf(value));
    }
}
