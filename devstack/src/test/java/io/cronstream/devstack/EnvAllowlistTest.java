package io.cronstream.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.config.provider.EnvVarConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * A connector config posted to a Connect worker's REST API can say {@code ${env:ANY_NAME}}: the env config
 * provider must hand out only the connector's own variables, in the embedded worker and the Docker one.
 */
class EnvAllowlistTest {

    private static final String PREFIX = "config.providers.env.param.";
    private static final Map<String, String> ENVIRONMENT = Map.of("CRONSTREAM_MONGO_URI", "mongodb://mongo:27017",
            "AWS_SECRET_ACCESS_KEY", "secret", "CRONSTREAM_API_TOKEN", "admin-token", "HOME", "/root");

    @Test
    void theEmbeddedWorkerResolvesOnlyTheConnectorsVariables() {
        assertOnlyConnectorVariables(EmbeddedConnect.workerConfig("localhost:9092", 0, Path.of("offsets")));
    }

    @Test
    void theDockerWorkerResolvesOnlyTheConnectorsVariables() throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("../docker/connect/connect-distributed.properties"))) {
            properties.load(reader);
        }
        Map<String, String> worker = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> worker.put(name, properties.getProperty(name)));
        assertOnlyConnectorVariables(worker);
    }

    private static void assertOnlyConnectorVariables(Map<String, String> worker) {
        assertThat(worker).containsEntry("config.providers.env.class", EnvVarConfigProvider.class.getName());
        Map<String, Object> params = new HashMap<>();
        worker.forEach((key, value) -> {
            if (key.startsWith(PREFIX)) {
                params.put(key.substring(PREFIX.length()), value);
            }
        });
        try (EnvVarConfigProvider provider = new EnvVarConfigProvider(ENVIRONMENT)) {
            provider.configure(params);
            assertThat(provider.get("", Set.of("AWS_SECRET_ACCESS_KEY", "CRONSTREAM_API_TOKEN", "HOME")).data()).isEmpty();
            assertThat(provider.get("", Set.of("CRONSTREAM_MONGO_URI")).data())
                    .containsEntry("CRONSTREAM_MONGO_URI", "mongodb://mongo:27017");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
