package io.cronstream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

class TimeIndexTest {

    @Test
    void readsUpToTheBoundAndNoFurther() {
        TimeIndex index = new TimeIndex(store());
        index.put(Instant.ofEpochMilli(1_000), "b");
        index.put(Instant.ofEpochMilli(1_000), "a");
        index.put(Instant.ofEpochMilli(999), "z");
        index.put(Instant.ofEpochMilli(1_001), "late");

        assertThat(index.atOrBefore(Instant.ofEpochMilli(1_000), 10)).extracting(TimeIndex.Entry::id)
                .containsExactly("z", "a", "b");
        assertThat(index.before(Instant.ofEpochMilli(1_000), 10)).extracting(TimeIndex.Entry::id)
                .containsExactly("z");
        assertThat(index.atOrBefore(Instant.ofEpochMilli(1_000), 2)).hasSize(2);

        index.remove(Instant.ofEpochMilli(999), "z");
        assertThat(index.atOrBefore(Instant.ofEpochMilli(5_000), 10)).extracting(TimeIndex.Entry::id)
                .containsExactly("a", "b", "late");
    }

    /** Negative and positive instants alike sort by time: the sign-bit flip is what makes that so. */
    @Property(tries = 300)
    void entriesComeBackInTimeOrder(@ForAll @Size(max = 40) List<@LongRange(min = -4_000_000_000_000L, max = 4_102_444_800_000L) Long> millis,
            @ForAll @LongRange(min = -4_000_000_000_000L, max = 4_102_444_800_000L) long now) {
        TimeIndex index = new TimeIndex(store());
        List<TimeIndex.Entry> expected = new ArrayList<>();
        for (int i = 0; i < millis.size(); i++) {
            TimeIndex.Entry entry = new TimeIndex.Entry(Instant.ofEpochMilli(millis.get(i)), "id-" + (char) ('a' + i % 26) + i);
            index.put(entry.at(), entry.id());
            if (!entry.at().isAfter(Instant.ofEpochMilli(now))) {
                expected.add(entry);
            }
        }
        expected.sort(Comparator.comparing(TimeIndex.Entry::at).thenComparing(e -> Bytes.wrap(e.id().getBytes())));
        assertThat(index.atOrBefore(Instant.ofEpochMilli(now), Integer.MAX_VALUE)).containsExactlyElementsOf(expected);
    }

    private static KeyValueStore<Bytes, byte[]> store() {
        KeyValueStore<Bytes, byte[]> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("index"),
                Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        return store;
    }
}
