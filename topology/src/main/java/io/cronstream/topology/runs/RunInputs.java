package io.cronstream.topology.runs;

import io.cronstream.schemas.RecordSize;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.InvalidRecordException;
import io.cronstream.schemas.JsonCodec;
import io.cronstream.schemas.StageProgressEvent;
import io.cronstream.schemas.StageProgressJson;
import io.cronstream.topology.Origin;
import org.apache.kafka.streams.KeyValue;

/**
 * Reads the run-changing input topics into {@link RunInput}s keyed by runId. The value's runId wins
 * over the record key, so producers that key by something else (or nothing) still reach the right run.
 */
public final class RunInputs {

    private static final JsonCodec<DueEvent> DUE = JsonCodec.of(DueEvent.class);

    private RunInputs() {
    }

    public static KeyValue<String, RunInput> fromDue(Origin origin) {
        DueEvent due = DUE.read(origin.value());
        return KeyValue.pair(due.runId(), RunInput.due(due));
    }

    /**
     * The original bytes travel on through the repartition (see {@link Origin}); a bound keeps the record far
     * below Kafka's default 1 MB limit. A real progress event is a few hundred bytes.
     */
    public static final int MAX_STAGE_PROGRESS_BYTES = 64 * 1024;

    public static KeyValue<String, RunInput> fromStageProgress(Origin origin) {
        RecordSize.requireAtMost(origin.value(), MAX_STAGE_PROGRESS_BYTES, "a stage-progress event");
        StageProgressEvent event = StageProgressJson.read(origin.value());
        return KeyValue.pair(event.runId(), RunInput.progress(event, origin));
    }
}
