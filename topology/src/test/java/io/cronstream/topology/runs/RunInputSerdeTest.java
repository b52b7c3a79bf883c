package io.cronstream.topology.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.cronstream.schemas.InvalidRecordException;
import io.cronstream.schemas.Json;
import io.cronstream.schemas.JsonCodec;
import io.cronstream.schemas.ProgressKind;
import io.cronstream.schemas.StageProgressEvent;
import io.cronstream.topology.Origin;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunInputSerdeTest {

    private static final Instant AT = Instant.parse("2026-12-05T01:02:03.123456789Z");

    private static List<StageProgressEvent> events() throws Exception {
        JsonNode result = Json.mapper().readTree("{\"files\": 3, \"nested\": {\"a\": [1, 2.5, \"x\"]}}");
        return List.of(
                new StageProgressEvent("run-1", "job-1", "thumbs", null, ProgressKind.RUN_STARTED, null, null, null,
                        null, "hello", AT, "e-1"),
                new StageProgressEvent("run-1", null, null, "stage \ud800 ü ✓", ProgressKind.PROGRESS, 10L, 2L, null,
                        null, null, AT, null),
                new StageProgressEvent("run-1", null, null, "s", ProgressKind.PROGRESS, 10L, null, 4L, 1L, "m",
                        Instant.EPOCH, "e-2"),
                new StageProgressEvent("run-2", null, null, null, ProgressKind.RUN_COMPLETED, null, null, null, null,
                        null, AT, null, result, null),
                new StageProgressEvent("run-3", null, null, null, ProgressKind.RUN_FAILED, null, null, null, null,
                        "failed", AT, null, null, "boom\nstack"));
    }

    @Test
    void aWorkersEventComesBackAsItWasWithItsOrigin() throws Exception {
        for (StageProgressEvent event : events()) {
            byte[] original = JsonCodec.of(StageProgressEvent.class).write(event);
            Origin origin = new Origin("cronstream.stage-progress", 3, 42L, "k".getBytes(StandardCharsets.UTF_8),
                    original);
            byte[] bytes = RunInputSerde.SERDE.serializer().serialize("t", RunInput.progress(event, origin));
            assertThat(bytes[0]).isZero();
            RunInput back = RunInputSerde.SERDE.deserializer().deserialize("t", bytes);
            assertThat(back.progress()).isEqualTo(event);
            assertThat(back.origin().topic()).isEqualTo(origin.topic());
            assertThat(back.origin().partition()).isEqualTo(3);
            assertThat(back.origin().offset()).isEqualTo(42L);
            assertThat(back.origin().key()).isEqualTo(origin.key());
            assertThat(back.origin().value()).isEqualTo(original);
            assertThat(back.runId()).isEqualTo(event.runId());
        }
    }

    @Test
    void aNullKeyStaysNull() throws Exception {
        StageProgressEvent event = events().get(0);
        Origin origin = new Origin("t", 0, 0L, null, new byte[] {'{', '}'});
        RunInput back = RunInputSerde.SERDE.deserializer().deserialize("t",
                RunInputSerde.SERDE.serializer().serialize("t", RunInput.progress(event, origin)));
        assertThat(back.origin().key()).isNull();
        assertThat(back.progress()).isEqualTo(event);
    }

    @Test
    void recordsWrittenAsJsonBeforeAreStillRead() throws Exception {
        StageProgressEvent event = events().get(1);
        Origin origin = new Origin("t", 1, 7L, null, "{}".getBytes(StandardCharsets.UTF_8));
        byte[] json = JsonCodec.of(RunInput.class).write(RunInput.progress(event, origin));
        RunInput back = RunInputSerde.SERDE.deserializer().deserialize("t", json);
        assertThat(back.progress()).isEqualTo(event);
        assertThat(back.origin().offset()).isEqualTo(7L);
    }

    @Test
    void anUnknownFormatIsRefusedInWords() {
        assertThatThrownBy(() -> RunInputSerde.SERDE.deserializer().deserialize("t", new byte[] {0, 9}))
                .isInstanceOf(InvalidRecordException.class).hasMessageContaining("format");
    }
}
