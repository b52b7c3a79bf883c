package io.cronstream.app.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import io.cronstream.schemas.Json;
import io.cronstream.ticker.job.ExtendedJson;
import io.cronstream.ticker.job.JobDefinitionParser;
import io.cronstream.ticker.job.JobFingerprint;
import io.cronstream.ticker.job.OversizedDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.json.JsonMode;
import org.bson.json.JsonParseException;
import org.bson.json.JsonWriterSettings;
import org.bson.types.ObjectId;

/**
 * A MongoDB job document as the connector (connectors/mongo-scheduled-jobs.json) publishes it: its key (the
 * {@code _id} as the connector's key schema turns it into text), and its value as SimplifiedJson (relaxed Extended
 * JSON with ObjectIds as hex, dates as ISO-8601 text, binary as base64, decimals and symbols as text), or the stub
 * that stands for it when it is over the limit ({@link OversizedDocument}). The reconciliation publishes what the
 * connector would, so a repair is read exactly as the record it stands in for.
 */
final class ConnectorJson {

    /** The connector's {@code output.json.formatter}, SimplifiedJson, as writer settings. */
    static final JsonWriterSettings SIMPLIFIED = JsonWriterSettings.builder()
            .outputMode(JsonMode.RELAXED)
            .objectIdConverter((id, writer) -> writer.writeString(id.toHexString()))
            .dateTimeConverter((millis, writer) -> writer.writeString(
                    DateTimeFormatter.ISO_DATE_TIME.format(Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC))))
            .binaryConverter((binary, writer) -> writer.writeString(Base64.getEncoder().encodeToString(binary.getData())))
            .decimal128Converter((decimal, writer) -> writer.writeString(decimal.toString()))
            .symbolConverter((symbol, writer) -> writer.writeString(symbol))
            .build();

    private ConnectorJson() {
    }

    /** What the connector publishes for a document: key, value and the value's fingerprint. */
    record Published(String key, byte[] value, String fingerprint) {
    }

    static Published of(RawBsonDocument document) {
        BsonValue id = document.get("_id");
        String key = key(id);
        int bsonBytes = document.getByteBuffer().remaining();
        JsonNode simplified;
        if (bsonBytes > JobDefinitionParser.MAX_DOCUMENT_BYTES) {
            // what the connector's pipeline publishes instead
            simplified = OversizedDocument.stub(read(new BsonDocument("_id", id).toJson(SIMPLIFIED)).get("_id"),
                    bsonBytes, version(document));
        } else {
            byte[] json = document.toJson(SIMPLIFIED).getBytes(StandardCharsets.UTF_8);
            if (json.length <= JobDefinitionParser.MAX_DOCUMENT_BYTES) {
                return new Published(key, json, JobFingerprint.of(ExtendedJson.simplify(read(json))));
            }
            // within the pipeline's limit but not the ticker's: what its edge lets through instead
            simplified = OversizedDocument.stub(null, json.length, null);
        }
        return new Published(key, simplified.toString().getBytes(StandardCharsets.UTF_8),
                JobFingerprint.of(simplified));
    }

    /** The record key the connector gives a document with this {@code _id}. */
    static String key(BsonValue id) {
        if (id.isString()) {
            return id.asString().getValue();
        }
        if (id.isDocument()) {
            return id.asDocument().toJson(SIMPLIFIED);
        }
        String value = new BsonDocument("v", id).toJson(SIMPLIFIED);
        value = value.substring("{\"v\": ".length(), value.length() - 1);
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }

    /**
     * The job id the ticker stores a document with this {@code _id} under; null for one it refuses (too long, control
     * characters): its records are dead letters, and a repair would only make another.
     */
    static String jobId(BsonValue id) {
        String jobId = JobDefinitionParser.routingId(key(id).getBytes(StandardCharsets.UTF_8), null);
        return jobId != null && JobDefinitionParser.isJobId(jobId) ? jobId : null;
    }

    /** The {@code _id}s a job id may stand for: its text, and the ObjectId, number or document it spells. */
    static List<BsonValue> idsOf(String jobId) {
        List<BsonValue> ids = new ArrayList<>(List.of(new BsonString(jobId)));
        if (ObjectId.isValid(jobId)) {
            ids.add(new BsonObjectId(new ObjectId(jobId)));
        }
        try {
            long whole = Long.parseLong(jobId);
            ids.add(whole == (int) whole ? new BsonInt32((int) whole) : new BsonInt64(whole));
        } catch (NumberFormatException notWhole) {
            try {
                ids.add(new BsonDouble(Double.parseDouble(jobId)));
            } catch (NumberFormatException notANumber) {
                // text only
            }
        }
        if (jobId.startsWith("{")) {
            try {
                ids.add(BsonDocument.parse(jobId));
            } catch (JsonParseException notADocument) {
                // text only
            }
        }
        return ids;
    }

    private static Long version(RawBsonDocument document) {
        BsonValue version = document.get("version");
        return version != null && version.isNumber() ? version.asNumber().longValue() : null;
    }

    private static JsonNode read(String json) {
        return read(json.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode read(byte[] json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("the driver wrote JSON that does not read back", e);
        }
    }
}
