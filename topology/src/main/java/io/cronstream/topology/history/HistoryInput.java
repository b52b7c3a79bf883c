package io.cronstream.topology.history;

import io.cronstream.schemas.JsonCodec;
import io.cronstream.schemas.RunSnapshot;
import io.cronstream.streams.JobPresence;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** What changes a job's history, on {@code progress-run-status-by-job}: a run's latest state, or the job's presence. */
public sealed interface HistoryInput {

    record Run(RunSnapshot run) implements HistoryInput {
    }

    record Job(JobPresence presence) implements HistoryInput {
    }

    static HistoryInput run(RunSnapshot run) {
        return new Run(run);
    }

    static HistoryInput job(JobPresence presence) {
        return new Job(presence);
    }

    /**
     * A run travels as the same bytes as before presence existed (a {@code RunSnapshot}, which records already
     * in the topic at an upgrade still are); a presence as {@code {"jobPresence": ...}}, told apart by that
     * prefix without parsing twice.
     */
    Serde<HistoryInput> SERDE = Serdes.serdeFrom((Serializer<HistoryInput>) (topic, input) -> Codec.write(input),
            (Deserializer<HistoryInput>) (topic, bytes) -> Codec.read(bytes));

    final class Codec {

        private static final JsonCodec<RunSnapshot> RUNS = JsonCodec.of(RunSnapshot.class);
        private static final JsonCodec<Wrapped> PRESENCE = JsonCodec.of(Wrapped.class);
        private static final byte[] PRESENCE_PREFIX = "{\"jobPresence\":".getBytes(StandardCharsets.UTF_8);

        /** The JSON shape of a presence on the topic. */
        record Wrapped(JobPresence jobPresence) {
        }

        private Codec() {
        }

        static byte[] write(HistoryInput input) {
            if (input == null) {
                return null;
            }
            return input instanceof Run run ? RUNS.write(run.run())
                    : PRESENCE.write(new Wrapped(((Job) input).presence()));
        }

        static HistoryInput read(byte[] bytes) {
            if (bytes == null) {
                return null;
            }
            boolean presence = bytes.length >= PRESENCE_PREFIX.length
                    && Arrays.equals(bytes, 0, PRESENCE_PREFIX.length, PRESENCE_PREFIX, 0, PRESENCE_PREFIX.length);
            return presence ? new Job(PRESENCE.read(bytes).jobPresence()) : new Run(RUNS.read(bytes));
        }
    }
}
