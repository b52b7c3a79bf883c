package io.cronstream.app.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cronstream.connectors.ConnectorDefinition;
import io.cronstream.schemas.Json;
import io.cronstream.ticker.job.JobDefinitionParser;
import io.cronstream.ticker.job.JobFingerprint;
import io.cronstream.ticker.job.OversizedDocument;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.codecs.DocumentCodec;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

/**
 * A document as the connector publishes it: its key for every kind of {@code _id}, and the stub for one over the limit,
 * whether its BSON or only its JSON is over it. (That the rendering matches the real connector's, fingerprint for
 * fingerprint, is {@code ReconcilePropertiesTest}'s second pass, which repairs nothing.)
 */
class ConnectorJsonTest {

    @Test
    void everyKindOfIdHasTheKeyTheConnectorGivesItAndLeadsBackToItself() {
        ObjectId objectId = new ObjectId("670a1b2c3d4e5f6789abcdef");
        List<BsonValue> ids = List.of(new BsonString("nightly"), new BsonObjectId(objectId), new BsonInt32(42),
                new BsonInt64(10_000_000_001L), new BsonDouble(2.5), new BsonDocument("tenant", new BsonString("a")));
        assertThat(ids).extracting(ConnectorJson::key).containsExactly("nightly", "670a1b2c3d4e5f6789abcdef", "42",
                "10000000001", "2.5", "{\"tenant\": \"a\"}");
        assertThat(ids).extracting(ConnectorJson::jobId).containsExactly("nightly", "670a1b2c3d4e5f6789abcdef", "42",
                "10000000001", "2.5", "{\"tenant\":\"a\"}");
        for (BsonValue id : ids) {
            assertThat(ConnectorJson.idsOf(ConnectorJson.jobId(id))).as("%s", id).contains(id);
        }
    }

    @Test
    void anIdTheTickerRefusesHasNoJob() {
        assertThat(ConnectorJson.jobId(new BsonString("x".repeat(300)))).isNull();
        assertThat(ConnectorJson.jobId(new BsonString("line\nbreak"))).isNull();
    }

    @Test
    void aDocumentWithinTheLimitIsItsJsonWithTheTickersFingerprint() {
        ConnectorJson.Published published = ConnectorJson.of(raw(new Document("_id", "a").append("cron", "0 3 * * *")
                .append("ref", new ObjectId("670a1b2c3d4e5f6789abcdef"))));

        assertThat(new String(published.value(), StandardCharsets.UTF_8))
                .isEqualTo("{\"_id\": \"a\", \"cron\": \"0 3 * * *\", \"ref\": \"670a1b2c3d4e5f6789abcdef\"}");
        assertThat(published.fingerprint()).isEqualTo(JobFingerprint.of(published.value()));
    }

    @Test
    void aDocumentOverTheLimitAsBsonIsTheConnectorsStub() {
        RawBsonDocument big = raw(new Document("_id", "big").append("version", 7).append("pad", "x".repeat(300_000)));

        ConnectorJson.Published published = ConnectorJson.of(big);

        assertThat(new String(published.value(), StandardCharsets.UTF_8)).isEqualTo("{\"_id\":\"big\",\"version\":7,"
                + "\"cronstreamTooLarge\":{\"bytes\":" + big.getByteBuffer().remaining() + ",\"limit\":262144}}");
        assertThat(published.fingerprint()).isEqualTo("too-large:7");
    }

    @Test
    void aDocumentWithinTheLimitAsBsonButOverItAsJsonIsTheTickersStandIn() {
        // a control character is one byte of BSON and six of JSON (\u0001)
        RawBsonDocument escaped = raw(new Document("_id", "escaped").append("version", 7)
                .append("pad", "\u0001".repeat(100_000)));
        assertThat(escaped.getByteBuffer().remaining()).isLessThan(262_144);

        assertThat(ConnectorJson.of(escaped).fingerprint()).isEqualTo("too-large:null");
    }

    @Test
    void theConnectorsPipelineStubsAtTheTickersLimitWithTheTickersField() throws Exception {
        JsonNode pipeline = Json.mapper().readTree(ConnectorDefinition.mongoScheduledJobs().config().get("pipeline"));
        JsonNode stub = pipeline.findValue("$set").path("fullDocument").path("$cond");

        assertThat(stub.path("if").path("$gt").path(1).asInt()).isEqualTo(JobDefinitionParser.MAX_DOCUMENT_BYTES);
        assertThat(stub.path("then").path(OversizedDocument.FIELD).path("limit").asInt())
                .isEqualTo(JobDefinitionParser.MAX_DOCUMENT_BYTES);
        assertThat(ConnectorDefinition.mongoScheduledJobs().maxRecordBytes()).as("a document within the limit fits "
                + "as JSON even when it is mostly escaped control characters (6 bytes each)")
                .isGreaterThanOrEqualTo(6 * JobDefinitionParser.MAX_DOCUMENT_BYTES);
    }

    private static RawBsonDocument raw(Document document) {
        return new RawBsonDocument(document, new DocumentCodec());
    }
}
