package io.cronstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import io.cronstream.schemas.SchemaContracts.Example;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every schema and every example of this module, discovered by the convention of {@link SchemaContracts}. */
class SchemaExamplesTest {

    /** The draft 2020-12 meta-schema, bundled with the validator; asserting formats checks every pattern too. */
    private static final Schema META_SCHEMA = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                    builder -> builder.schemaRegistryConfig(
                            SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()))
            .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));

    private final SchemaCatalog catalog = SchemaCatalog.instance();

    static Stream<Example> validExamples() {
        return SchemaContracts.validExamples();
    }

    static Stream<Example> invalidExamples() {
        return SchemaContracts.invalidExamples();
    }

    static Stream<Example> validExamplesWithRecord() {
        return SchemaContracts.validExamples()
                .filter(example -> SchemaContracts.recordFor(example.schema()).isPresent());
    }

    static Stream<String> schemaNames() {
        return SchemaContracts.schemaNames().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validExamples")
    void validExampleValidates(Example example) {
        assertThat(catalog.validate(example.schema(), example.json())).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidExamples")
    void invalidExampleIsRefusedForTheFieldItsNameGives(Example example) {
        List<String> errors = catalog.validate(example.schema(), example.json());

        assertThat(errors).isNotEmpty();
        // Every error is about the named field, so the example fails for the reason it was written for.
        assertThat(errors).allSatisfy(error -> assertThat(error).contains(example.wrongField()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validExamplesWithRecord")
    void validExampleRoundTripsThroughItsRecord(Example example) throws IOException {
        JsonCodec<?> codec = JsonCodec.of(SchemaContracts.recordFor(example.schema()).orElseThrow());

        JsonNode written = Json.mapper().readTree(writeBack(codec, example.bytes()));

        assertThat(catalog.validate(example.schema(), written)).isEmpty();
        assertThat(written).isEqualTo(example.json());
    }

    @Test
    void everyRecordMappingNamesASchemaAndEverySchemaHasADecision() {
        Set<String> schemas = Set.copyOf(SchemaContracts.schemaNames());

        assertThat(schemas).contains("job-definition", "due-event", "command", "dead-letter");
        assertThat(SchemaContracts.RECORDS.keySet()).allSatisfy(name -> assertThat(schemas).contains(name));
        assertThat(SchemaContracts.WITHOUT_RECORD).allSatisfy(name -> assertThat(schemas).contains(name));
        assertThat(schemas).allSatisfy(name -> assertThat(
                SchemaContracts.RECORDS.containsKey(name) ^ SchemaContracts.WITHOUT_RECORD.contains(name))
                .as("%s must be in exactly one of SchemaContracts.RECORDS and WITHOUT_RECORD", name)
                .isTrue());
    }

    @Test
    void everyExampleDirectoryBelongsToASchemaAndHoldsOnlyNamedExamples() {
        assertThat(SchemaContracts.schemaNames()).containsAll(SchemaContracts.exampleDirectories());
        assertThat(SchemaContracts.examples()).allSatisfy(example ->
                assertThat(example.fileName()).matches("(valid-[a-z0-9-]+|invalid-[A-Za-z_$]+-[a-z0-9-]+)\\.json"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemaNames")
    void schemaHasAtLeastTwoValidAndTwoInvalidExamples(String name) {
        List<Example> examples = SchemaContracts.examples().filter(example -> example.schema().equals(name)).toList();

        assertThat(examples).filteredOn(Example::valid).hasSizeGreaterThanOrEqualTo(2);
        assertThat(examples).filteredOn(example -> !example.valid()).hasSizeGreaterThanOrEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemaNames")
    void schemaDeclaresItsDialectAndAnIdNamedAfterItsFile(String name) {
        JsonNode schema = SchemaContracts.schema(name);

        assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.path("$id").asText()).isEqualTo("https://cronstream.io/schemas/" + name + ".schema.json");
        assertThat(schema.path("title").asText()).isNotBlank();
        assertThat(schema.path("description").asText()).isNotBlank();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemaNames")
    void schemaIsAValidDraft202012Schema(String name) {
        List<Error> errors = META_SCHEMA.validate(SchemaContracts.schema(name));

        assertThat(errors).extracting(Error::toString).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemaNames")
    void everyPropertyHasATitleAndADescription(String name) {
        List<String> undocumented = new ArrayList<>();
        collectUndocumented(SchemaContracts.schema(name), "", undocumented);

        assertThat(undocumented).isEmpty();
    }

    private static void collectUndocumented(JsonNode node, String path, List<String> undocumented) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectUndocumented(node.get(i), path + "/" + i, undocumented);
            }
            return;
        }
        if (!node.isObject()) {
            return;
        }
        for (var entry : node.properties()) {
            String where = path + "/" + entry.getKey();
            if (entry.getKey().equals("properties")) {
                for (var property : entry.getValue().properties()) {
                    for (String keyword : List.of("title", "description")) {
                        if (property.getValue().path(keyword).asText().isBlank()) {
                            undocumented.add(where + "/" + property.getKey() + " lacks " + keyword);
                        }
                    }
                }
            }
            collectUndocumented(entry.getValue(), where, undocumented);
        }
    }

    private static <T> byte[] writeBack(JsonCodec<T> codec, byte[] bytes) {
        T value = codec.read(bytes);
        return codec.write(value);
    }
}
