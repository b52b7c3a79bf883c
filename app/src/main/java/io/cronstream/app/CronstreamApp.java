package io.cronstream.app;

import io.cronstream.api.ApiSettings;
import io.cronstream.api.MongoJobs;
import io.cronstream.streams.DeadLetterHandler;
import io.cronstream.schemas.Topics;
import io.cronstream.ticker.TickerConfig;
import io.cronstream.topology.ProgressConfig;
import io.cronstream.topology.ProgressTopology;
import io.cronstream.topology.alerts.AlertsConfig;
import io.cronstream.topology.alerts.AlertsTopology;
import io.cronstream.ticker.TickerTopology;
import io.cronstream.ticker.job.JobDefinitionParser;
import io.cronstream.ticker.job.MisfirePolicy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/**
 * What a Cronstream instance runs, derived once from {@link Settings}: topic names, the
 * sub-topology configs, the Kafka Streams properties, and the composed {@link Topology}.
 */
public final class CronstreamApp {

    private final Settings settings;
    private final Topics topics;
    private final TickerConfig ticker;
    private final ProgressConfig progress;
    private final AlertsConfig alerts;

    public CronstreamApp(Settings settings) {
        this.settings = settings;
        this.topics = topics(settings);
        Duration runRetention = settings.duration("cronstream.progress.run.retention", TickerConfig.DEFAULT_RUN_RETENTION);
        JobDefinitionParser.Defaults jobDefaults = new JobDefinitionParser.Defaults(
                MisfirePolicy.valueOf(settings.string("cronstream.job.default.misfire.policy", "FIRE_ONCE")),
                settings.duration("cronstream.job.default.catchup.window", Duration.ofHours(1)),
                settings.duration("cronstream.job.default.stuck.after", Duration.ofMinutes(5)));
        this.ticker = new TickerConfig(topics,
                settings.duration("cronstream.ticker.punctuate.interval", TickerConfig.DEFAULT_PUNCTUATE_EVERY),
                settings.duration("cronstream.ticker.misfire.threshold", Duration.ofMinutes(1)),
                settings.integer("cronstream.ticker.max.fires.per.punctuation", 50_000),
                settings.integer("cronstream.ticker.max.catchup.fires.per.job", 10_000),
                jobDefaults)
                .withPunctuationTimeBudget(settings.duration("cronstream.ticker.punctuation.time.budget",
                        TickerConfig.DEFAULT_PUNCTUATION_TIME_BUDGET))
                .withRunRetention(runRetention);
        requireWellUnderTransactionTimeout(ticker.punctuationTimeBudget(), settings);
        this.progress = new ProgressConfig.Builder()
                .topics(topics)
                .stuckScanInterval(settings.duration("cronstream.progress.stuck.scan.interval", Duration.ofSeconds(10)))
                .defaultStuckAfter(jobDefaults.stuckAfter())
                .defaultFailAfter(settings.duration("cronstream.progress.default.fail.after", null))
                .historySize(settings.integer("cronstream.progress.history.size", 100))
                .maxStagesPerRun(settings.integer("cronstream.progress.max.stages.per.run", 100))
                .maxStuckPerScan(settings.integer("cronstream.progress.max.stuck.per.scan", 10_000))
                .runRetention(runRetention)
                .scanTimeBudget(ticker.punctuationTimeBudget())
                .build();
        this.alerts = AlertsConfig.defaults(topics)
                .withRetention(settings.duration("cronstream.alerts.retention", AlertsConfig.DEFAULT_RETENTION))
                .withMaxPerPartition(settings.integer("cronstream.alerts.max.per.partition",
                        AlertsConfig.DEFAULT_MAX_PER_PARTITION));
    }

    /**
     * A punctuation runs inside a transaction: one that outlived it would be fenced, so the budget must leave the
     * transaction room for the rest of its work (the other punctuations, processing, the commit).
     */
    private static void requireWellUnderTransactionTimeout(Duration budget, Settings settings) {
        Map<String, String> kafka = settings.kafka();
        String timeout = kafka.getOrDefault("producer.transaction.timeout.ms",
                kafka.getOrDefault("transaction.timeout.ms", DEFAULT_TRANSACTION_TIMEOUT_MS));
        long timeoutMs;
        try {
            timeoutMs = Long.parseLong(timeout.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting transaction.timeout.ms = '" + timeout + "': expected a whole number");
        }
        // The ticker's punctuations and a stuck scan may both spend it inside one transaction.
        if (budget.toMillis() * 3 > timeoutMs) {
            throw new IllegalArgumentException("setting cronstream.ticker.punctuation.time.budget = " + budget
                    + ": expected at most a third of the transaction timeout (" + timeoutMs + " ms): the ticker and "
                    + "the stuck scan may both spend it in one transaction");
        }
    }

    /** Kafka Streams' commit interval under exactly-once: see {@link #streamsProperties()}. */
    public static final long DEFAULT_COMMIT_INTERVAL_MS = 500;

    /** Kafka Streams' {@code max.task.idle.ms}: see {@link #streamsProperties()}. */
    public static final long DEFAULT_MAX_TASK_IDLE_MS = -1;

    /** Kafka Streams' transaction timeout under exactly-once. */
    private static final String DEFAULT_TRANSACTION_TIMEOUT_MS = "10000";

    public Settings settings() {
        return settings;
    }

    public Topics topics() {
        return topics;
    }

    public TickerConfig ticker() {
        return ticker;
    }

    public ProgressConfig progress() {
        return progress;
    }

    public AlertsConfig alerts() {
        return alerts;
    }

    /** The composed topology as one partition of each input shows it (a TopologyTestDriver). */
    public Topology topology() {
        return topology(1);
    }

    /**
     * Ticker, progress and recent alerts as one application, so one process serves every store.
     *
     * @param runPartitions the runs' partition count: the most partitions any input topic has ({@link #inputTopics})
     */
    public Topology topology(int runPartitions) {
        StreamsBuilder builder = new StreamsBuilder();
        TickerTopology.Outputs fromTicker = TickerTopology.addWithJobPresence(builder, ticker);
        ProgressTopology.addTo(builder, progress.with(b -> b.runPartitions(runPartitions)), fromTicker.due(),
                fromTicker.jobs());
        AlertsTopology.addTo(builder, alerts);
        return builder.build(streamsProperties());
    }

    /** The topics the ticker and progress read; the runs' partition count is the most partitions one of them has. */
    public List<String> inputTopics() {
        return List.of(topics.jobs(), topics.commands(), topics.stageProgress(), topics.fileChanges());
    }

    /**
     * Kafka Streams properties: exactly-once by default, one application id for ticker and
     * progress, then every {@code cronstream.kafka.*} setting on top.
     */
    public Properties streamsProperties() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.string("cronstream.application.id", "cronstream"));
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, settings.string("cronstream.bootstrap.servers", "localhost:9092"));
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // Output a reader waits for (due events, chained commands, a run's new status, alerts, cancels) asks for
        // its commit at once, at most every 100 ms (PromptCommits), so a due event is readable (read_committed)
        // right after its punctuation. The interval bounds the rest, the bulk of worker events (counts, percent):
        // each commit writes every run changed since the last (its whole record, to the changelog) and waits for
        // the broker, so 500 ms instead of Kafka Streams' 100 ms folds about a third more events a second with
        // many runs going at once (bench/RESULTS.md). cronstream.kafka.commit.interval.ms overrides it.
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, DEFAULT_COMMIT_INTERVAL_MS);
        // A task here reads several topics (the runs: stage-progress and two repartitions), and no fold here depends
        // on the order between them (a run takes its due event and its workers' events in any order). With the
        // default (0), Kafka Streams checks every empty input partition before each record, formatting a log line
        // for each whatever the log level: about 15% of the progress fold's thread. -1 processes what is buffered.
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, DEFAULT_MAX_TASK_IDLE_MS);
        props.put(StreamsConfig.STATE_DIR_CONFIG, settings.string("cronstream.state.dir", ".cronstream/streams"));
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        // No record, punctuation or refused output may stop a stream thread: the handler dead-letters it.
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topics.dlq());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, settings.integer("cronstream.replication.factor", -1));
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        props.putAll(settings.kafka());
        return props;
    }

    /** The API's settings ({@code cronstream.api.*}). */
    public static ApiSettings apiSettings(Settings settings) {
        String modeText = settings.string("cronstream.api.mode", "production");
        ApiSettings.Mode mode = switch (modeText.toLowerCase(Locale.ROOT)) {
            case "dev" -> ApiSettings.Mode.DEV;
            case "production" -> ApiSettings.Mode.PRODUCTION;
            default -> throw new IllegalArgumentException(
                    "setting cronstream.api.mode = '" + modeText + "': expected dev or production");
        };
        String host = settings.string("cronstream.api.host", "0.0.0.0");
        Optional<String> token = Optional.ofNullable(settings.string("cronstream.api.token", null));
        if (token.isEmpty() && mode == ApiSettings.Mode.DEV) {
            token = Optional.of(ApiSettings.DEV_TOKEN);
        }
        String tokens = settings.string("cronstream.api.tokens", "");
        return new ApiSettings(
                host,
                settings.integer("cronstream.api.port", 7070),
                settings.string("cronstream.api.advertised.host", defaultAdvertisedHost(host)),
                token,
                mode,
                settings.integer("cronstream.api.max.body.bytes", 16 * 1024),
                settings.duration("cronstream.api.peer.timeout", Duration.ofSeconds(3)),
                settings.duration("cronstream.api.trigger.min.interval", Duration.ofMinutes(1)),
                Arrays.stream(tokens.split(",")).filter(entry -> !entry.isBlank())
                        .map(ApiSettings.RoleToken::parse).toList(),
                settings.duration("cronstream.api.write.wait", ApiSettings.DEFAULT_WRITE_WAIT),
                Optional.ofNullable(settings.string("cronstream.api.peer.secret", null)),
                settings.integer("cronstream.api.preview.rate", ApiSettings.DEFAULT_PREVIEW_RATE));
    }

    /** Where the API writes job documents ({@code cronstream.mongo.*}); empty without a URI: writes answer 503. */
    public static Optional<MongoJobs.Config> mongo(Settings settings) {
        return Optional.ofNullable(settings.string("cronstream.mongo.uri", null))
                .filter(uri -> !uri.isBlank())
                .map(uri -> new MongoJobs.Config(uri, settings.string("cronstream.mongo.database", "scheduler"),
                        settings.string("cronstream.mongo.collection", "scheduled_jobs"),
                        settings.duration("cronstream.mongo.changes.retention",
                                MongoJobs.Config.DEFAULT_TRAIL_RETENTION)));
    }

    private static String defaultAdvertisedHost(String bindHost) {
        if (!bindHost.equals("0.0.0.0") && !bindHost.equals("::")) {
            return bindHost;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private static Topics topics(Settings settings) {
        Topics defaults = Topics.withPrefix(settings.string("cronstream.topic.prefix", "cronstream."));
        return new Topics(
                settings.string("cronstream.topic.jobs", defaults.jobs()),
                settings.string("cronstream.topic.commands", defaults.commands()),
                settings.string("cronstream.topic.job.due", defaults.jobDue()),
                settings.string("cronstream.topic.stage.progress", defaults.stageProgress()),
                settings.string("cronstream.topic.file.changes", defaults.fileChanges()),
                settings.string("cronstream.topic.run.status", defaults.runStatus()),
                settings.string("cronstream.topic.stuck.runs", defaults.stuckRuns()),
                settings.string("cronstream.topic.dlq", defaults.dlq()),
                settings.string("cronstream.topic.alerts", defaults.alerts()),
                settings.string("cronstream.topic.run.control", defaults.runControl()),
                settings.string("cronstream.topic.job.graph", defaults.jobGraph()));
    }
}
