package io.cronstream.connectors;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A connector as the Connect REST API takes it: {@code {"name": ..., "config": {...}}}.
 *
 * @param name   the connector's name (also its offsets' key: renaming it starts from scratch)
 * @param config connector options, values still holding any {@code ${provider:...}} references
 */
public record ConnectorDefinition(String name, Map<String, String> config) {

    /** Classpath copy of {@code connectors/mongo-scheduled-jobs.json}. */
    static final String MONGO_SCHEDULED_JOBS_RESOURCE = "cronstream-connectors/mongo-scheduled-jobs.json";

    private static final String MAX_REQUEST_SIZE = "producer.override.max.request.size";
    /** Kafka's producer default of {@code max.request.size}. */
    private static final int DEFAULT_MAX_REQUEST_SIZE = 1024 * 1024;

    public ConnectorDefinition {
        config = Map.copyOf(config);
    }

    /**
     * The production Mongo source for {@code scheduler.scheduled_jobs} → {@code cronstream.jobs}; its
     * {@code connection.uri} reads the {@code CRONSTREAM_MONGO_URI} environment variable.
     */
    public static ConnectorDefinition mongoScheduledJobs() {
        try (InputStream json = ConnectorDefinition.class.getClassLoader().getResourceAsStream(MONGO_SCHEDULED_JOBS_RESOURCE)) {
            if (json == null) {
                throw new IllegalStateException(MONGO_SCHEDULED_JOBS_RESOURCE + " is not on the classpath");
            }
            return parse(new ObjectMapper().readTree(json), MONGO_SCHEDULED_JOBS_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + MONGO_SCHEDULED_JOBS_RESOURCE, e);
        }
    }

    /** Reads a REST payload file. */
    public static ConnectorDefinition read(Path file) {
        try {
            return parse(new ObjectMapper().readTree(Files.readString(file)), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read connector definition " + file, e);
        }
    }

    /** A copy with one option set (replaced if present). */
    public ConnectorDefinition with(String key, String value) {
        Map<String, String> changed = new LinkedHashMap<>(config);
        changed.put(key, value);
        return new ConnectorDefinition(name, changed);
    }

    /**
     * The largest record the connector's producer sends ({@code producer.override.max.request.size}, else the
     * producer's default): the topic it writes must take records this large.
     */
    public int maxRecordBytes() {
        return Integer.parseInt(config.getOrDefault(MAX_REQUEST_SIZE, Integer.toString(DEFAULT_MAX_REQUEST_SIZE)));
    }

    /** The options with {@code name} included, as a worker wants them. */
    public Map<String, String> workerConfig() {
        return with("name", name).config();
    }

    private static ConnectorDefinition parse(JsonNode payload, String source) {
        if (!payload.path("name").isTextual() || !payload.path("config").isObject()) {
            throw new IllegalArgumentException(source + ": expected {\"name\": \"...\", \"config\": {...}}");
        }
        Map<String, String> config = new LinkedHashMap<>();
        payload.get("config").properties().forEach(option -> config.put(option.getKey(), option.getValue().asText()));
        return new ConnectorDefinition(payload.get("name").asText(), config);
    }
}
