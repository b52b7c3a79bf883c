package io.cronstream.api;

import io.cronstream.app.CronstreamApp;
import io.cronstream.app.Settings;
import io.cronstream.schemas.Command;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.JsonCodec;
import io.cronstream.ticker.TickerTopology;
import io.cronstream.ticker.job.JobDefinitionParser;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.UnknownStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * One API instance over a {@link TopologyTestDriver} running the whole Cronstream topology (ticker
 * and progress), fed through its real input topics. Triggers go through the commands topic into
 * the ticker.
 */
final class DriverHarness implements AutoCloseable {

    static final Instant START = Instant.parse("2026-03-01T00:00:00Z");
    static final String TOKEN = "test-token-7f3a";

    final CronstreamApp app;
    final TopologyTestDriver driver;
    final ApiServer api;
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final TestInputTopic<byte[], byte[]> jobs;
    private final TestInputTopic<String, byte[]> commands;
    private final TestOutputTopic<String, DueEvent> due;
    private final TestInputTopic<String, String> progress;
    private final TestInputTopic<String, String> fileChanges;

    private final Instant start;
    /** The driver's wall clock: {@link #start} plus every {@link #advance}. */
    private Instant now;
    /** Stores opened by the API since the last {@link #storesOpened()}, so a test can see what a request reads. */
    private final Set<String> opened = ConcurrentHashMap.newKeySet();
    /** The stores whose reads {@link #read} counts: those a list pages through. */
    static final Set<String> COUNTED = Set.of(StoreNames.RUNS, StoreNames.JOBS, StoreNames.LIBRARIES);
    private final Map<String, AtomicLong> read = new ConcurrentHashMap<>();
    private final Optional<MongoJobs> mongo;
    /** What {@code /health} reports of change capture: a test sets it as a watched connector would be. */
    volatile PipelineStatus pipeline = PipelineStatus.UNWATCHED;
    private boolean storesClosed;

    DriverHarness() {
        this(START, Optional.of(TOKEN), ApiSettings.Mode.PRODUCTION);
    }

    /** @param start the driver's wall clock, which the ticker schedules from */
    DriverHarness(Instant start, Optional<String> token, ApiSettings.Mode mode) {
        this(start, new ApiSettings("127.0.0.1", 0, "127.0.0.1", token, mode, 4096, Duration.ofSeconds(2),
                Duration.ofMinutes(1)), Optional.empty());
    }

    /** With the API's settings and, for the write routes, a MongoDB ({@code cronstream.mongo.uri}). */
    DriverHarness(Instant start, ApiSettings settings, Optional<String> mongoUri) {
        this(start, settings, mongoUri, Clock.systemUTC());
    }

    /** @param apiClock the API's clock (what a preview counts from, what the preview limit refills by) */
    DriverHarness(Instant start, ApiSettings settings, Optional<String> mongoUri, Clock apiClock) {
        this.start = start;
        this.now = start;
        this.app = new CronstreamApp(Settings.of(java.util.Map.of()));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "api-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, tempDir());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        this.driver = new TopologyTestDriver(app.topology(), props, start);

        ByteArraySerializer bytes = new ByteArraySerializer();
        StringSerializer strings = new StringSerializer();
        this.jobs = driver.createInputTopic(app.topics().jobs(), bytes, bytes);
        this.commands = driver.createInputTopic(app.topics().commands(), strings, bytes);
        this.due = driver.createOutputTopic(app.topics().jobDue(), new StringDeserializer(),
                TickerTopology.DUE_EVENTS.serde().deserializer());
        this.progress = driver.createInputTopic(app.topics().stageProgress(), strings, strings);
        this.fileChanges = driver.createInputTopic(app.topics().fileChanges(), strings, strings);

        this.mongo = mongoUri.map(uri -> MongoJobs.connect(new MongoJobs.Config(uri, "scheduler", "scheduled_jobs",
                Duration.ofDays(30))));
        mongo.ifPresent(MongoJobs::ensureIndexes); // as the service does at its start
        this.api = new ApiServer(settings, new SingleInstance(), new DriverStores(), StoreNames.ALL,
                new DriverCommands(), registry, apiClock, mongo,
                new JobDefinitionParser(app.ticker().jobDefaults()), () -> pipeline).start();
    }

    Instant start() {
        return start;
    }

    /** Where the driver's wall clock stands: the time the topology's processors and punctuations see. */
    synchronized Instant now() {
        return now;
    }

    String url(String path) {
        return "http://127.0.0.1:" + api.port() + path;
    }

    synchronized void putJob(String jobId, String json) {
        jobs.pipeInput(utf8(jobId), json == null ? null : utf8(json), start);
    }

    /** A stage-progress event, keyed by its runId. */
    synchronized void progress(String runId, String json) {
        progress.pipeInput(runId, json);
    }

    /** A file-change event, keyed by its libraryId. */
    synchronized void fileChange(String libraryId, String json) {
        fileChanges.pipeInput(libraryId, json);
    }

    /** Moves the wall clock, so punctuations (due fires, the stuck scan) run. */
    synchronized void advance(Duration duration) {
        driver.advanceWallClockTime(duration);
        now = now.plus(duration);
    }

    /** Moves the wall clock to {@code instant} (not before where it stands). */
    synchronized void advanceTo(Instant instant) {
        if (instant.isAfter(now)) {
            advance(Duration.between(now, instant));
        }
    }

    synchronized List<DueEvent> dueEvents() {
        return due.readValuesToList();
    }

    /** Values read from {@code store} (one of {@link #COUNTED}) since the last call, gets and scanned entries. */
    long read(String store) {
        return read.computeIfAbsent(store, name -> new AtomicLong()).getAndSet(0);
    }

    /** The stores opened since the last call, then forgets them. */
    Set<String> storesOpened() {
        Set<String> names = Set.copyOf(opened);
        opened.clear();
        return names;
    }

    /** Closes the topology under a running API, as when its stores go away in a rebalance. */
    synchronized void closeStores() {
        if (!storesClosed) {
            storesClosed = true;
            driver.close();
        }
    }

    @Override
    public void close() {
        api.close();
        mongo.ifPresent(MongoJobs::close);
        closeStores();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String tempDir() {
        try {
            return Files.createTempDirectory("api-test").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One instance owns everything. */
    private static final class SingleInstance implements Cluster {

        private static final HostInfo SELF = new HostInfo("127.0.0.1", 1);

        @Override
        public HostInfo self() {
            return SELF;
        }

        @Override
        public Owner owner(String store, String key) {
            return new Owner(SELF, 0, true);
        }

        @Override
        public List<HostInfo> hosts(String store) {
            return List.of(SELF);
        }

        @Override
        public String state() {
            return "RUNNING";
        }

        @Override
        public boolean running() {
            return true;
        }

        @Override
        public boolean live() {
            return true;
        }
    }

    /** The driver's own stores; the driver has one partition. */
    private final class DriverStores implements StoreProvider {

        @Override
        public List<Integer> partitions(String store) {
            return List.of(0);
        }

        @Override
        public <V> ReadOnlyKeyValueStore<String, V> global(String store) {
            return driver.getKeyValueStore(store);
        }

        @Override
        public <V> ReadOnlyKeyValueStore<String, V> all(String store) {
            opened.add(store);
            KeyValueStore<String, V> found = driver.getKeyValueStore(store);
            if (found == null) {
                throw new UnknownStateStoreException("no store " + store);
            }
            return COUNTED.contains(store) ? counted(store, found) : found;
        }

        /** Counts the values a request reads from {@code store}: each get, and each entry of a scan. */
        @SuppressWarnings("unchecked")
        private <V> ReadOnlyKeyValueStore<String, V> counted(String store, ReadOnlyKeyValueStore<String, V> values) {
            AtomicLong count = read.computeIfAbsent(store, name -> new AtomicLong());
            return (ReadOnlyKeyValueStore<String, V>) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {ReadOnlyKeyValueStore.class}, (proxy, method, args) -> {
                        Object answer = method.invoke(values, args);
                        if (method.getName().equals("get")) {
                            count.incrementAndGet();
                        } else if (answer instanceof KeyValueIterator<?, ?> scan) {
                            return countedScan(scan, count);
                        }
                        return answer;
                    });
        }

        private KeyValueIterator<?, ?> countedScan(KeyValueIterator<?, ?> scan, AtomicLong count) {
            return (KeyValueIterator<?, ?>) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {KeyValueIterator.class}, (proxy, method, args) -> {
                        if (method.getName().equals("next")) {
                            count.incrementAndGet();
                        }
                        return method.invoke(scan, args);
                    });
        }

        @Override
        public <V> ReadOnlyKeyValueStore<String, V> partition(String store, int partition) {
            return all(store);
        }
    }

    /**
     * The next {@code count} trigger commands are written, then answered as a producer whose acknowledgement
     * timed out: the API cannot tell whether the write happened.
     */
    synchronized void timeOutAfterWriting(int count) {
        timeoutsAfterWriting = count;
    }

    private int timeoutsAfterWriting;

    /** Commands go into the driver's commands topic, so the ticker really processes them. */
    private final class DriverCommands implements CommandSink {

        private final JsonCodec<Command> codec = JsonCodec.of(Command.class);

        @Override
        public void send(Command command) {
            synchronized (DriverHarness.this) {
                commands.pipeInput(command.jobId(), codec.write(command), start);
                if (timeoutsAfterWriting > 0) {
                    timeoutsAfterWriting--;
                    throw ApiException.unavailable("could not write the trigger command to Kafka; try again");
                }
            }
        }
    }
}
