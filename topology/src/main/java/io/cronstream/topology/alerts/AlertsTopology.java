package io.cronstream.topology.alerts;

import io.cronstream.schemas.Alert;
import io.cronstream.schemas.JsonCodec;
import io.cronstream.schemas.RecordSize;
import io.cronstream.streams.DeadLetters;
import io.cronstream.streams.Routed;
import io.cronstream.topology.ParseProcessor;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * The recent-alerts sub-topology:
 *
 * <pre>
 * cronstream.alerts ─▶ parse ─▶ recent alerts [alerts-recent, alerts-counts]
 *                        └──▶ dlq (what cannot be read)
 * </pre>
 *
 * Per partition of {@code cronstream.alerts} (key jobId), so {@code GET /api/v1/alerts} gathers a page from every
 * partition like every other list.
 */
public final class AlertsTopology {

    /** {@link RecentAlerts} key (time, id) → {@link Alert}. */
    public static final String ALERTS_STORE = "alerts-recent";
    /** Per partition: kind name → alerts of that kind so far, and {@link AlertCounts#STORED} → alerts stored now. */
    public static final String ALERT_COUNTS_STORE = "alerts-counts";

    private static final JsonCodec<Alert> CODEC = JsonCodec.of(Alert.class);
    /** An alert's message is cut at 2000 characters: a real one is far below this. */
    static final int MAX_ALERT_BYTES = 64 * 1024;

    private AlertsTopology() {
    }

    public static void addTo(StreamsBuilder builder, AlertsConfig config) {
        Function<String, KeyValueBytesStoreSupplier> store = config.inMemoryStores()
                ? Stores::inMemoryKeyValueStore : Stores::persistentKeyValueStore;
        builder.addStateStore(Stores.keyValueStoreBuilder(store.apply(ALERTS_STORE), Serdes.Bytes(), CODEC.serde())
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(store.apply(ALERT_COUNTS_STORE), Serdes.String(),
                Serdes.Long()).withCachingEnabled());
        KStream<String, Routed<Alert>> parsed = builder
                .stream(config.topics().alerts(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withName("alerts-source"))
                .process(() -> new ParseProcessor<>((origin, readAt) -> {
                    RecordSize.requireAtMost(origin.value(), MAX_ALERT_BYTES, "an alert");
                    Alert alert = CODEC.read(origin.value());
                    String key = origin.key() == null ? alert.jobId() : new String(origin.key(), StandardCharsets.UTF_8);
                    return KeyValue.pair(key, alert);
                }), Named.as("alerts-parse"));
        DeadLetters.route(parsed, config.topics().dlq(), "alerts")
                .process(() -> new AlertProcessor(config), Named.as("alerts-keep"), ALERTS_STORE, ALERT_COUNTS_STORE);
    }
}
