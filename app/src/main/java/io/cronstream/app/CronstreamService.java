package io.cronstream.app;

import io.cronstream.api.KafkaCommandSink;
import io.cronstream.api.StreamsStoreProvider;
import io.cronstream.api.CommandSink;
import io.cronstream.api.StreamsCluster;
import io.cronstream.api.ApiSettings;
import io.cronstream.api.StoreNames;
import io.cronstream.api.ApiServer;
import io.cronstream.api.MongoJobs;
import io.cronstream.ticker.job.JobDefinitionParser;
import io.cronstream.api.AutoPause;
import io.cronstream.app.alerts.AlertConsumer;
import io.cronstream.app.alerts.AutoPauseHandler;
import io.cronstream.app.alerts.NotifySettings;
import io.cronstream.app.alerts.WebhookNotifier;
import java.util.ArrayList;
import java.util.Optional;

import io.cronstream.app.CronstreamApp;
import io.cronstream.app.Settings;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Cronstream instance: the Kafka Streams application (ticker and progress) and the API that
 * queries it. {@code main} reads the settings file named by the first argument or
 * {@code CRONSTREAM_CONFIG} (optional), then {@code CRONSTREAM_*} overrides; SIGTERM closes both.
 */
public final class CronstreamService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CronstreamService.class);
    /** Kafka Streams creates its task-level sensors after start; new ones are picked up this often. */
    private static final Duration METRICS_REFRESH = Duration.ofSeconds(15);

    /** How long the start waits for the cluster to describe the input topics. */
    private static final Duration DESCRIBE_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaStreams streams;
    private final CommandSink commands;
    private final ApiServer api;
    private final ScheduledExecutorService metricsRefresh;
    private final KafkaStreamsMetrics streamsMetrics;
    private final Optional<MongoJobs> mongo;
    /** The notifier and the automatic-pause writer, each when configured. */
    private final List<AlertConsumer> alertConsumers = new ArrayList<>();

    public CronstreamService(CronstreamApp app, ApiSettings settings, Clock clock) {
        Properties props = app.streamsProperties();
        Topology topology = app.topology(RunPartitions.of(props, app.inputTopics(), DESCRIBE_TIMEOUT));
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, settings.advertised());
        this.streams = new KafkaStreams(topology, props);
        streams.setUncaughtExceptionHandler(new StreamThreadFailures());

        Map<String, Object> clientConfig = new HashMap<>();
        props.forEach((key, value) -> clientConfig.put(key.toString(), value));
        this.commands = new KafkaCommandSink(clientConfig, app.topics().commands(), Duration.ofSeconds(10));

        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.metricsRefresh = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "cronstream-metrics-refresh");
            thread.setDaemon(true);
            return thread;
        });
        this.streamsMetrics = new KafkaStreamsMetrics(streams, List.of(), metricsRefresh, METRICS_REFRESH);
        streamsMetrics.bindTo(registry);

        HostInfo self = new HostInfo(settings.advertisedHost(), settings.port());
        this.mongo = CronstreamApp.mongo(app.settings()).map(MongoJobs::connect);
        mongo.ifPresent(MongoJobs::ensureIndexes);
        this.api = new ApiServer(settings, new StreamsCluster(streams, self), new StreamsStoreProvider(streams, self),
                storesOf(topology), commands, registry, clock, mongo,
                new JobDefinitionParser(app.ticker().jobDefaults()));

        // Off unless configured; each on a thread and consumer group of its own, so neither can hold up the other.
        String appId = props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        NotifySettings notify = NotifySettings.from(app.settings());
        if (notify.enabled()) {
            alertConsumers.add(new AlertConsumer("notifier", clientConfig, appId + "-notifier", "latest",
                    app.topics().alerts(), app.topics().dlq(), new WebhookNotifier(notify, api::notifyOf),
                    AlertConsumer.DEFAULT_RETRY_PAUSE));
        }
        mongo.ifPresent(jobs -> alertConsumers.add(new AlertConsumer("auto-pause", clientConfig,
                appId + "-auto-pause", "earliest", app.topics().alerts(), app.topics().dlq(),
                new AutoPauseHandler(new AutoPause(jobs, clock), notify.backoff()), AlertConsumer.DEFAULT_RETRY_PAUSE)));
    }

    /** Starts the API first, so that it answers 503 (not connection refused) while Kafka Streams starts. */
    public CronstreamService start() {
        api.start();
        streams.start();
        alertConsumers.forEach(AlertConsumer::start);
        return this;
    }

    public KafkaStreams streams() {
        return streams;
    }

    public ApiServer api() {
        return api;
    }

    @Override
    public void close() {
        alertConsumers.forEach(AlertConsumer::close);
        api.close();
        // Leaving the group hands this instance's tasks to the others at once, instead of after
        // the session timeout.
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
        streamsMetrics.close();
        metricsRefresh.shutdownNow();
        commands.close();
        mongo.ifPresent(MongoJobs::close);
    }

    /** The API's stores that this topology has: readiness waits for exactly those. */
    static List<String> storesOf(Topology topology) {
        Set<String> stores = new TreeSet<>();
        for (TopologyDescription.Subtopology sub : topology.describe().subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Processor processor) {
                    stores.addAll(processor.stores());
                }
            }
        }
        return StoreNames.ALL.stream().filter(stores::contains).toList();
    }

    public static void main(String[] args) {
        String file = args.length > 0 ? args[0] : System.getenv("CRONSTREAM_CONFIG");
        Settings settings = Settings.load(file == null ? null : Path.of(file), System.getenv());
        ApiSettings apiSettings = CronstreamApp.apiSettings(settings);
        CronstreamService service = new CronstreamService(new CronstreamApp(settings), apiSettings, Clock.systemUTC());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("event=shutdown");
            service.close();
        }, "cronstream-shutdown"));
        service.start();
    }
}
