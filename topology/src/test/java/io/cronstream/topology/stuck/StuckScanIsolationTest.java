package io.cronstream.topology.stuck;

import io.cronstream.streams.TimeIndex;

import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.topology.ProgressTopology;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/** One run the stuck scan cannot check does not stop the scan, and is not checked again at every scan. */
class StuckScanIsolationTest {

    private static final Instant NOW = Instant.parse("2026-01-05T10:00:00Z");

    @Test
    void aRunThatFailsTheCheckIsDroppedFromTheIndexAndTheOthersAreStillChecked() {
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        KeyValueStore<Bytes, byte[]> store = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(ProgressTopology.RUN_ACTIVITY_STORE), Serdes.Bytes(), Serdes.ByteArray())
                .withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        ActivityIndex index = new ActivityIndex(store);
        TimeIndex raw = new TimeIndex(store);
        for (String runId : List.of("run-a", "run-b", "run-c")) {
            raw.put(NOW.minusSeconds(60), runId);
        }
        StuckScan scan = new StuckScan(context, index, 100, Duration.ofSeconds(2));
        List<String> checked = new ArrayList<>();

        scan.run(NOW, entry -> {
            if (entry.id().equals("run-b")) {
                throw new IllegalStateException("cannot check " + entry.id());
            }
            checked.add(entry.id());
        });

        assertThat(checked).containsExactly("run-a", "run-c");
        assertThat(index.passedBefore(NOW, 100)).extracting(TimeIndex.Entry::id)
                .containsExactly("run-a", "run-c"); // run-b left the index: the next scan does not fail on it
        assertThat(context.metrics().metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(StuckScan.FAILURES + "-total"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum()).isEqualTo(1.0);
    }
}
