package io.cronstream.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.SourceConnector;
import org.junit.jupiter.api.Test;

/**
 * {@code connectors/target/plugins/mongo-kafka-connect/}, the Kafka Connect plugin folder that the
 * build copies (connectors/pom.xml) and docker-compose.yml mounts: the connector and everything it
 * needs that a Connect worker does not provide, checked by loading it as a worker would, isolated.
 */
class ConnectPluginFolderTest {

    static final Path FOLDER = ComposeFile.repositoryRoot().resolve("connectors/target/plugins/mongo-kafka-connect");

    @Test
    void holdsTheConnectorAndItsDependenciesButNothingTheWorkerProvides() throws IOException {
        List<String> jars = jars().stream().map(jar -> jar.getFileName().toString()).toList();
        assertThat(jars).anyMatch(jar -> jar.startsWith("mongo-kafka-connect-"))
                .anyMatch(jar -> jar.startsWith("mongodb-driver-sync-"))
                .anyMatch(jar -> jar.startsWith("mongodb-driver-core-"))
                .anyMatch(jar -> jar.startsWith("bson-"))
                .anyMatch(jar -> jar.startsWith("avro-"));
        assertThat(jars).noneMatch(jar -> jar.matches("(kafka|connect|slf4j|log4j|logback|scala|netty|h2|mongo-java-server|cronstream).*"));
    }

    @Test
    void theConnectorLoadsFromTheFolderAloneAndAcceptsTheCommittedConfig() throws Exception {
        List<URL> urls = jars().stream().map(ConnectPluginFolderTest::url).toList();
        try (URLClassLoader plugin = new URLClassLoader(urls.toArray(URL[]::new), new WorkerClasses(getClass().getClassLoader()))) {
            Class<?> connectorClass = plugin.loadClass("com.mongodb.kafka.connect.MongoSourceConnector");
            assertThat(connectorClass.getClassLoader()).isSameAs(plugin);
            SourceConnector connector = (SourceConnector) connectorClass.getConstructor().newInstance();
            assertThat(connector.version()).isNotBlank();

            // the committed file, its ${env:...} URI resolved as the worker's config provider would
            Map<String, String> config = ConnectorDefinition.read(ComposeFile.repositoryRoot().resolve("connectors/mongo-scheduled-jobs.json"))
                    .with("connection.uri", "mongodb://cronstream-connect:x@mongo:27017/?replicaSet=rs0&authSource=admin")
                    .workerConfig();
            ConfigDef definition = connector.config();
            List<String> errors = definition.validate(config).stream()
                    .filter(value -> !value.errorMessages().isEmpty())
                    .map((ConfigValue value) -> value.name() + ": " + value.errorMessages()).toList();
            assertThat(errors).isEmpty();

            // parsing it uses Avro (output.schema.key), the driver and the SimplifiedJson formatter
            Class<?> sourceConfig = plugin.loadClass("com.mongodb.kafka.connect.source.MongoSourceConfig");
            Object parsed = sourceConfig.getConstructor(Map.class).newInstance(config);
            assertThat(sourceConfig.getMethod("getKeyOutputFormat").invoke(parsed)).hasToString("SCHEMA");
            assertThat(sourceConfig.getMethod("getValueOutputFormat").invoke(parsed)).hasToString("SCHEMA");
            assertThat(sourceConfig.getMethod("getJsonWriterSettings").invoke(parsed)).isNotNull();
            assertThat(sourceConfig.getMethod("getTopicMapper").invoke(parsed)).isNotNull();
            assertThat(sourceConfig.getMethod("getConnectionString").invoke(parsed)).isNotNull();

            Class<? extends Task> taskClass = connector.taskClass();
            assertThat(taskClass.getClassLoader()).isSameAs(plugin);
            assertThat(taskClass.getConstructor().newInstance().version()).isNotBlank();
        }
    }

    private static List<Path> jars() throws IOException {
        assertThat(FOLDER).as("built by `mvn -pl connectors process-classes` or any later phase").isDirectory();
        try (Stream<Path> files = Files.list(FOLDER)) {
            return files.filter(file -> file.toString().endsWith(".jar")).sorted().toList();
        }
    }

    private static URL url(Path jar) {
        try {
            return jar.toUri().toURL();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What a plugin sees outside its folder in a Connect worker: the JDK, and the worker's Kafka and
     * slf4j classes, which Connect never loads from a plugin. Anything else must be in the folder.
     */
    private static final class WorkerClasses extends ClassLoader {
        private final ClassLoader worker;

        WorkerClasses(ClassLoader worker) {
            super(ClassLoader.getPlatformClassLoader());
            this.worker = worker;
        }

        private static boolean provided(String name) {
            return name.startsWith("org.apache.kafka.") || name.startsWith("org.slf4j.")
                    || name.startsWith("org/apache/kafka/") || name.startsWith("org/slf4j/");
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            if (provided(name)) {
                return worker.loadClass(name);
            }
            throw new ClassNotFoundException(name + " is neither in the plugin folder nor provided by a Connect worker");
        }

        @Override
        protected URL findResource(String name) {
            return provided(name) ? worker.getResource(name) : null;
        }

        @Override
        protected Enumeration<URL> findResources(String name) throws IOException {
            return provided(name) ? worker.getResources(name) : Collections.emptyEnumeration();
        }
    }
}
