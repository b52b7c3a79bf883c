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
import io.cronstream.app.pipeline.ConnectSettings;
import io.cronstream.app.pipeline.PipelineMonitor;
import io.cronstream.app.reconcile.Reconciler;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
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
 * One Cronstream instance: the Kafka Streams application (ticker and progress), the API that
 * queries it, the watch over change capture ({@link PipelineMonitor}) and, with MongoDB, the periodic
 * reconciliation of MongoDB's jobs with the ticker's ({@link Reconciler}). {@code main} reads the settings file named by the first argument or
 * {@code CRONSTREAM_CONFIG} (optional), then {@code CRONSTREAM_*} overrides; SIGTERM closes both.
 */
public final class CronstreamService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CronstreamService.class);
    /** Kafka Streams creates its task-level sensors after start; new ones are picked up this often. */
    private static final Duration METRICS_REFRESH = Duration.ofSeconds(15);

    /** Default of {@code cronstream.reconcile.interval}: a lost change costs at most this long. */
    public static final Duration DEFAULT_RECONCILE_INTERVAL = Duration.ofMinutes(5);

    /** How long the start waits for the cluster to describe the input topics. */
    private static final Duration DESCRIBE_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaStreams streams;
    private final CommandSink commands;
    private final ApiServer api;
    private final ScheduledExecutorService metricsRefresh;
    private final KafkaStreamsMetrics streamsMetrics;
    private final Optional<MongoJobs> mongo;
    private final PipelineMonitor pipeline;
    private final Optional<Reconciler> reconciler;
    private final Duration reconcileInterval;
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
        this.pipeline = new PipelineMonitor(ConnectSettings.from(app.settings()),
                only(AdminClientConfig.configNames(), clientConfig), app.topics().jobs(), clock, registry);
        StreamsCluster cluster = new StreamsCluster(streams, self);
        StreamsStoreProvider stores = new StreamsStoreProvider(streams, self);
        this.api = new ApiServer(settings, cluster, stores, storesOf(topology), commands, registry, clock, mongo,
                new JobDefinitionParser(app.ticker().jobDefaults()), pipeline::status);
        this.reconcileInterval = reconcileInterval(app.settings());
        this.reconciler = mongo.map(jobs -> new Reconciler(cluster, stores, jobs.documents(),
                new KafkaProducer<>(repairProducer(clientConfig), new ByteArraySerializer(), new ByteArraySerializer()),
                app.topics().jobs(), clock, registry));

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
        pipeline.start();
        reconciler.ifPresent(r -> r.start(reconcileInterval));
        return this;
    }

    /** The reconciliation, when MongoDB is configured: tests run a pass when they choose. */
    public Optional<Reconciler> reconciler() {
        return reconciler;
    }

    /** Change capture's state, as {@code /health} shows it. */
    public PipelineMonitor pipeline() {
        return pipeline;
    }

    private static Duration reconcileInterval(Settings settings) {
        Duration interval = settings.duration("cronstream.reconcile.interval", DEFAULT_RECONCILE_INTERVAL);
        if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("setting cronstream.reconcile.interval = " + interval
                    + ": expected at least PT1S");
        }
        return interval;
    }

    /** Repairs are job records like the connector's: acknowledged by every replica, never duplicated by a retry. */
    private static Map<String, Object> repairProducer(Map<String, Object> clientConfig) {
        Map<String, Object> config = only(ProducerConfig.configNames(), clientConfig);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "cronstream-reconcile");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return config;
    }

    /** The settings a client of one kind takes, out of those shared with Kafka Streams. */
    private static Map<String, Object> only(Set<String> names, Map<String, Object> clientConfig) {
        Map<String, Object> config = new HashMap<>();
        clientConfig.forEach((key, value) -> {
            if (names.contains(key)) {
                config.put(key, value);
            }
        });
        return config;
    }

    public KafkaStreams streams() {
        return streams;
    }

    public ApiServer api() {
        return api;
    }

    @Override
    public void close() {
        reconciler.ifPresent(Reconciler::close);
        pipeline.close();
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
