package io.cronstream.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The JSON Schemas of this module, read from the classpath ({@code cronstream-schemas/<name>.schema.json}),
 * so that Cronstream checks values against the very files producers outside it code against.
 */
public final class SchemaCatalog {

    private static final String ROOT = "cronstream-schemas/";
    /** Names are file names: refusing anything else keeps a caller from reading arbitrary resources. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final SchemaCatalog INSTANCE = new SchemaCatalog();

    /**
     * Formats such as date-time are only annotations in draft 2020-12 unless asserted; the schemas
     * mean them. English keeps messages the same whatever the machine's locale.
     */
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder()
                    .formatAssertionsEnabled(true)
                    .locale(Locale.ENGLISH)
                    .build()));
    private final Map<String, Schema> loaded = new ConcurrentHashMap<>();

    private SchemaCatalog() {
    }

    public static SchemaCatalog instance() {
        return INSTANCE;
    }

    /**
     * Checks {@code value} against schema {@code name} (e.g. {@code "due-event"}).
     *
     * @return one line per problem, each naming where in the value it is; empty when the value is valid
     * @throws IllegalArgumentException if there is no such schema
     */
    public List<String> validate(String name, JsonNode value) {
        Objects.requireNonNull(value, "value");
        return schema(name).validate(value).stream().map(SchemaCatalog::describe).toList();
    }

    private Schema schema(String name) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a schema name: '" + name + "'");
        }
        return loaded.computeIfAbsent(name, this::load);
    }

    private Schema load(String name) {
        String resource = ROOT + name + ".schema.json";
        try (InputStream in = SchemaCatalog.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no schema '" + name + "' on the classpath (" + resource + ")");
            }
            JsonNode node = Json.mapper().readTree(in);
            // Located at its $id, so its internal references resolve inside the file, never over the network.
            Schema schema = registry.getSchema(SchemaLocation.of(node.path("$id").asText(resource)), node);
            schema.initializeValidators();
            return schema;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    private static String describe(Error error) {
        String where = error.getInstanceLocation().toString();
        return (where.isEmpty() ? "$" : where) + ": " + error.getMessage();
    }
}
