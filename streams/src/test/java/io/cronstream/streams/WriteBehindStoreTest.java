package io.cronstream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Whatever a task does to a {@link WriteBehindStore} between two commits (puts, rewrites, deletes, reads, scans),
 * it reads what it wrote, and the changelog receives each key's last value once per commit: the same state as the
 * store without it, serialised once per key and commit. One record runs one generated batch (one transaction in a
 * TopologyTestDriver, which commits after each record), checked against a sorted map after every step.
 */
class WriteBehindStoreTest {

    private static final String STORE = "behind";
    private static final String CHANGELOG = "write-behind-test-" + STORE + "-changelog";

    private static TopologyTestDriver driver;
    private static TestInputTopic<String, String> batches;
    private static TestOutputTopic<String, String> changelog;
    /** The batch the next record runs, and what every key should hold (the model). */
    private static List<Op> batch = List.of();
    private static final TreeMap<String, String> MODEL = new TreeMap<>();
    private static final List<String> MISMATCHES = new ArrayList<>();
    /** Values the store's serde serialised: what the store beneath was handed. */
    private static final java.util.concurrent.atomic.AtomicInteger SERIALISED = new java.util.concurrent.atomic.AtomicInteger();

    /** put (value non-null), delete (value null), or a read of everything and a prefix, checked. */
    record Op(String key, String value, boolean read) {
    }

    @BeforeContainer
    static void start() throws Exception {
        StreamsBuilder builder = new StreamsBuilder();
        StringSerializer strings = new StringSerializer();
        org.apache.kafka.common.serialization.Serde<String> counted = Serdes.serdeFrom((topic, value) -> {
            SERIALISED.incrementAndGet();
            return strings.serialize(topic, value);
        }, new StringDeserializer());
        builder.addStateStore(WriteBehindStore.builder(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(STORE), Serdes.String(), counted).withCachingEnabled(),
                new StringSerializer(), new StringSerializer()));
        builder.<String, String>stream("batches").process(BatchRunner::new, STORE);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "write-behind-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        Path target = Files.createDirectories(Path.of("target", "kafka-streams"));
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory(target, "write-behind").toString());
        driver = new TopologyTestDriver(builder.build(), props);
        batches = driver.createInputTopic("batches", new StringSerializer(), new StringSerializer());
        changelog = driver.createOutputTopic(CHANGELOG, new StringDeserializer(), new StringDeserializer());
    }

    @AfterContainer
    static void stop() {
        driver.close();
    }

    @Property(tries = 200)
    void aTaskReadsWhatItWroteAndTheChangelogGetsEachKeysLastValueOncePerCommit(
            @ForAll("batches") List<List<Op>> transactions) {
        for (List<Op> transaction : transactions) {
            Map<String, String> before = new HashMap<>(MODEL);
            batch = transaction;
            SERIALISED.set(0);
            batches.pipeInput("k", "run");
            assertThat(MISMATCHES).isEmpty();
            // a key put (and not deleted after) in this transaction is serialised once, however often it was put
            Map<String, Boolean> heldAtCommit = new HashMap<>();
            transaction.stream().filter(op -> !op.read()).forEach(op -> heldAtCommit.put(op.key(), op.value() != null));
            assertThat(SERIALISED.get()).isEqualTo((int) heldAtCommit.values().stream().filter(held -> held).count());

            Map<String, String> logged = new HashMap<>();
            List<String> loggedKeys = new ArrayList<>();
            for (TestRecord<String, String> record : changelog.readRecordsToList()) {
                loggedKeys.add(record.key());
                logged.put(record.key(), record.value());
            }
            assertThat(loggedKeys).as("one changelog record per key and commit").doesNotHaveDuplicates();
            logged.forEach((key, value) -> assertThat(value).as(key).isEqualTo(MODEL.get(key)));
            // every key whose value changed in this transaction reached the changelog
            MODEL.forEach((key, value) -> {
                if (!value.equals(before.get(key))) {
                    assertThat(logged).as(key).containsEntry(key, value);
                }
            });
            before.keySet().stream().filter(key -> !MODEL.containsKey(key))
                    .forEach(key -> assertThat(logged).as("deleted " + key).containsEntry(key, null));
        }
        KeyValueStore<String, String> store = driver.getKeyValueStore(STORE);
        assertThat(readAll(store)).isEqualTo(List.copyOf(MODEL.entrySet().stream()
                .map(entry -> KeyValue.pair(entry.getKey(), entry.getValue())).toList()));
    }

    @Provide
    Arbitrary<List<List<Op>>> batches() {
        Arbitrary<String> keys = Arbitraries.strings().withChars("abc").ofMinLength(1).ofMaxLength(3);
        Arbitrary<Op> put = Combinators.combine(keys, Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(4))
                .as((key, value) -> new Op(key, value, false));
        Arbitrary<Op> delete = keys.map(key -> new Op(key, null, false));
        Arbitrary<Op> read = keys.map(key -> new Op(key, null, true));
        Arbitrary<Op> op = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, put), net.jqwik.api.Tuple.of(2, delete), net.jqwik.api.Tuple.of(2, read));
        return op.list().ofMaxSize(40).list().ofMinSize(1).ofMaxSize(4);
    }

    private static List<KeyValue<String, String>> readAll(KeyValueStore<String, String> store) {
        List<KeyValue<String, String>> all = new ArrayList<>();
        try (KeyValueIterator<String, String> iterator = store.all()) {
            iterator.forEachRemaining(all::add);
        }
        return all;
    }

    private static List<KeyValue<String, String>> expected(Map<String, String> map) {
        return map.entrySet().stream().map(entry -> KeyValue.pair(entry.getKey(), entry.getValue())).toList();
    }

    /** Runs {@link #batch} on the store, checking every read against {@link #MODEL}. */
    private static final class BatchRunner implements Processor<String, String, Void, Void> {
        private KeyValueStore<String, String> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<String, String> record) {
            for (Op op : batch) {
                if (op.read()) {
                    check("get " + op.key(), store.get(op.key()), MODEL.get(op.key()));
                    check("all", readAll(store), expected(MODEL));
                    List<KeyValue<String, String>> reversed = new ArrayList<>();
                    try (KeyValueIterator<String, String> iterator = store.reverseAll()) {
                        iterator.forEachRemaining(reversed::add);
                    }
                    check("reverseAll", reversed, expected(MODEL.descendingMap()));
                    List<KeyValue<String, String>> prefixed = new ArrayList<>();
                    try (KeyValueIterator<String, String> iterator = store.prefixScan(op.key(), new StringSerializer())) {
                        iterator.forEachRemaining(prefixed::add);
                    }
                    check("prefix " + op.key(), prefixed, expected(MODEL.subMap(op.key(), op.key() + Character.MAX_VALUE)));
                    List<KeyValue<String, String>> ranged = new ArrayList<>();
                    try (KeyValueIterator<String, String> iterator = store.range("b", op.key())) {
                        iterator.forEachRemaining(ranged::add);
                    }
                    check("range b.." + op.key(), ranged,
                            "b".compareTo(op.key()) > 0 ? List.of() : expected(MODEL.subMap("b", true, op.key(), true)));
                } else if (op.value() == null) {
                    check("delete " + op.key(), store.delete(op.key()), MODEL.remove(op.key()));
                } else {
                    store.put(op.key(), op.value());
                    MODEL.put(op.key(), op.value());
                }
            }
        }

        private static void check(String what, Object actual, Object expected) {
            if (!java.util.Objects.equals(actual, expected)) {
                MISMATCHES.add(what + ": " + actual + " != " + expected);
            }
        }
    }
}
