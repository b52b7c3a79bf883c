package io.cronstream.topology.runs;

import com.fasterxml.jackson.databind.JsonNode;
import io.cronstream.schemas.InvalidRecordException;
import io.cronstream.schemas.Json;
import io.cronstream.schemas.JsonCodec;
import io.cronstream.schemas.ProgressKind;
import io.cronstream.schemas.StageProgressEvent;
import io.cronstream.topology.Origin;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * {@link RunInput} on the {@code progress-run-inputs} repartition. A worker's event, by far the most frequent input,
 * travels in a compact binary form: a zero byte (never the start of JSON), a format version, its origin (topic,
 * partition, offset, key and value bytes as they arrived) and the event's fields, so the runs' side neither parses
 * JSON nor decodes base64 again. Every other input (due event, added work, job presence) travels as JSON as before,
 * and JSON records already in the topic (written before this form) are still read.
 */
public final class RunInputSerde {

    public static final Serde<RunInput> SERDE = Serdes.serdeFrom(
            (Serializer<RunInput>) (topic, input) -> input == null ? null : write(input),
            (Deserializer<RunInput>) (topic, bytes) -> bytes == null ? null : read(bytes));

    private static final JsonCodec<RunInput> JSON = JsonCodec.of(RunInput.class);
    private static final byte MAGIC = 0;
    private static final byte PROGRESS_V1 = 1;

    private RunInputSerde() {
    }

    static byte[] write(RunInput input) {
        if (input.progress() == null || input.origin() == null) {
            return JSON.write(input);
        }
        StageProgressEvent event = input.progress();
        Origin origin = input.origin();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(
                64 + (origin.value() == null ? 0 : 2 * origin.value().length));
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeByte(MAGIC);
            out.writeByte(PROGRESS_V1);
            writeString(out, origin.topic());
            out.writeInt(origin.partition());
            out.writeLong(origin.offset());
            writeBytes(out, origin.key());
            writeBytes(out, origin.value());
            writeString(out, event.runId());
            writeString(out, event.jobId());
            writeString(out, event.jobType());
            writeString(out, event.stage());
            writeString(out, event.kind().name());
            writeLong(out, event.total());
            writeLong(out, event.increment());
            writeLong(out, event.completed());
            writeLong(out, event.failed());
            writeString(out, event.message());
            out.writeBoolean(event.at() != null);
            if (event.at() != null) {
                out.writeLong(event.at().getEpochSecond());
                out.writeInt(event.at().getNano());
            }
            writeString(out, event.eventId());
            writeBytes(out, event.result() == null ? null : Json.mapper().writeValueAsBytes(event.result()));
            writeString(out, event.error());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    static RunInput read(byte[] bytes) {
        if (bytes.length == 0 || bytes[0] != MAGIC) {
            return JSON.read(bytes);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            in.readByte();
            byte version = in.readByte();
            if (version != PROGRESS_V1) {
                throw new InvalidRecordException("unknown run input format " + version);
            }
            Origin origin = new Origin(readString(in), in.readInt(), in.readLong(), readBytes(in), readBytes(in));
            String runId = readString(in);
            String jobId = readString(in);
            String jobType = readString(in);
            String stage = readString(in);
            ProgressKind kind = ProgressKind.valueOf(readString(in));
            Long total = readLong(in);
            Long increment = readLong(in);
            Long completed = readLong(in);
            Long failed = readLong(in);
            String message = readString(in);
            Instant at = in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
            String eventId = readString(in);
            byte[] result = readBytes(in);
            JsonNode resultNode = result == null ? null : Json.mapper().readTree(result);
            String error = readString(in);
            return RunInput.progress(new StageProgressEvent(runId, jobId, jobType, stage, kind, total, increment,
                    completed, failed, message, at, eventId, resultNode, error), origin);
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidRecordException invalid) {
                throw invalid;
            }
            throw new InvalidRecordException("unreadable run input: " + e, e);
        }
    }

    /** Modified UTF-8 ({@link DataOutputStream#writeUTF}): any Java string back as it was; every text here is far below its 64 KB. */
    private static void writeString(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    private static String readString(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static void writeBytes(DataOutputStream out, byte[] value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(value.length);
            out.write(value);
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        return in.readNBytes(length);
    }

    private static void writeLong(DataOutputStream out, Long value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeLong(value);
        }
    }

    private static Long readLong(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readLong() : null;
    }
}
