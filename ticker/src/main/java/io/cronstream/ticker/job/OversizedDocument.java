package io.cronstream.ticker.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cronstream.schemas.RecordSize;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

/**
 * What stands for a job document over the limit ({@link JobDefinitionParser#MAX_DOCUMENT_BYTES}): a stub
 * {@code {_id?, version?, cronstreamTooLarge: {bytes, limit}}}. The connector's pipeline publishes one for a
 * MongoDB document whose BSON is over the limit (connectors/mongo-scheduled-jobs.json), the ticker's edge makes
 * one for a record on the jobs topic whose bytes are, and the reconciliation writes one where MongoDB holds such a
 * document: the ticker keeps its job {@code valid: false} naming the limit and dead-letters the stub, so an
 * oversized update never leaves the job firing under its old definition.
 *
 * @param bytes   the document's size, as measured where it was refused
 * @param limit   the limit it is over
 * @param version the document's {@code version}, when the stub carries it
 */
public record OversizedDocument(long bytes, long limit, Long version) {

    /** The stub's own field: no job document has it (its name is Cronstream's). */
    public static final String FIELD = "cronstreamTooLarge";
    private static final Set<String> STUB_FIELDS = Set.of("_id", "version", FIELD);

    /** The stub {@code doc} is, or empty when it is a document of its own. */
    public static Optional<OversizedDocument> of(JsonNode doc) {
        JsonNode size = doc.get(FIELD);
        if (size == null || !size.isObject() || !size.path("bytes").canConvertToLong()
                || !size.path("limit").canConvertToLong()) {
            return Optional.empty();
        }
        for (Iterator<String> names = doc.fieldNames(); names.hasNext(); ) {
            if (!STUB_FIELDS.contains(names.next())) {
                return Optional.empty();
            }
        }
        JsonNode version = doc.get("version");
        return Optional.of(new OversizedDocument(size.get("bytes").asLong(), size.get("limit").asLong(),
                version != null && version.canConvertToLong() ? version.asLong() : null));
    }

    /** The stub of a document of {@code bytes} bytes ({@code id} and {@code version} when known, else null). */
    public static ObjectNode stub(JsonNode id, long bytes, Long version) {
        ObjectNode stub = JsonNodeFactory.instance.objectNode();
        if (id != null) {
            stub.set("_id", id);
        }
        if (version != null) {
            stub.put("version", version);
        }
        stub.putObject(FIELD).put("bytes", bytes).put("limit", (long) JobDefinitionParser.MAX_DOCUMENT_BYTES);
        return stub;
    }

    /** {@code document is 1200000 bytes, more than the 262144 a job definition may have}. */
    public String reason() {
        return RecordSize.tooLarge("document", (int) Math.min(Integer.MAX_VALUE, bytes), (int) limit,
                "a job definition");
    }
}
