package io.cronstream.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The schemas and examples of this module, found by convention on the test classpath:
 * {@code cronstream-schemas/<name>.schema.json} and {@code cronstream-schemas/examples/<name>/(valid|invalid)-*.json}.
 *
 * <p>To add a schema: add its file and examples, then one line to {@link #RECORDS} (or to
 * {@link #WITHOUT_RECORD} if no record of this module reads it). The tests pick up the rest.
 */
final class SchemaContracts {

    /** Schema name → the record Cronstream reads and writes it with. */
    static final Map<String, Class<?>> RECORDS = Map.of(
            "due-event", DueEvent.class,
            "command", Command.class,
            "dead-letter", DeadLetter.View.class,
            "stage-progress", StageProgressEvent.class,
            "file-change", FileChangeEvent.class,
            "run-snapshot", RunSnapshot.class,
            "stuck-alert", StuckAlert.class,
            "alert", Alert.class,
            "run-control", RunControl.class);

    /** Schemas that document input read leniently elsewhere (the ticker parses job definitions itself). */
    static final Set<String> WITHOUT_RECORD = Set.of("job-definition");

    private static final String SUFFIX = ".schema.json";
    private static final Path ROOT = classpathRoot();

    private SchemaContracts() {
    }

    /** One example document; its file name says whether it is valid and, if not, which field is wrong. */
    record Example(String schema, Path file) {

        boolean valid() {
            return fileName().startsWith("valid-");
        }

        /** {@code invalid-<field>-<why>.json} names the field every error must be about. */
        String wrongField() {
            String rest = fileName().substring("invalid-".length());
            return rest.substring(0, rest.indexOf('-'));
        }

        JsonNode json() {
            return readTree(file);
        }

        byte[] bytes() {
            try {
                return Files.readAllBytes(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String fileName() {
            return file.getFileName().toString();
        }

        @Override
        public String toString() {
            return schema + "/" + fileName();
        }
    }

    static List<String> schemaNames() {
        try (Stream<Path> files = Files.list(ROOT)) {
            return files.map(path -> path.getFileName().toString())
                    .filter(name -> name.endsWith(SUFFIX))
                    .map(name -> name.substring(0, name.length() - SUFFIX.length()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode schema(String name) {
        return readTree(ROOT.resolve(name + SUFFIX));
    }

    static List<String> exampleDirectories() {
        try (Stream<Path> dirs = Files.list(ROOT.resolve("examples"))) {
            return dirs.filter(Files::isDirectory).map(dir -> dir.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> exampleFiles(String schema) {
        Path dir = ROOT.resolve("examples").resolve(schema);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<Example> examples() {
        return schemaNames().stream()
                .flatMap(schema -> exampleFiles(schema).stream().map(file -> new Example(schema, file)));
    }

    static Stream<Example> validExamples() {
        return examples().filter(Example::valid);
    }

    static Stream<Example> invalidExamples() {
        return examples().filter(example -> !example.valid());
    }

    static Optional<Class<?>> recordFor(String schema) {
        return Optional.ofNullable(RECORDS.get(schema));
    }

    static JsonNode readTree(Path file) {
        try {
            return Json.mapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The copy on the classpath: the very files {@link SchemaCatalog} loads. */
    private static Path classpathRoot() {
        try {
            return Path.of(SchemaContracts.class.getClassLoader().getResource("cronstream-schemas").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
