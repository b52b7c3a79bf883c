package io.cronstream.bench;

import io.cronstream.schemas.JsonCodec;
import io.cronstream.schemas.ProgressKind;
import io.cronstream.schemas.StageProgressEvent;
import io.cronstream.schemas.Topics;
import io.cronstream.topology.ProgressConfig;
import io.cronstream.topology.ProgressTopology;
import io.cronstream.topology.stuck.StuckScan;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Benchmark 4: one stuck scan over a million tracked runs with 0, 10 and 10,000 of them stalled, against
 * reading every run once (what a scan that is not O(stuck) would at least cost). The runs are built
 * through a TopologyTestDriver over the real progress topology and its RocksDB stores: a million runs
 * through the broker would take longer than the rest of the suite, and the scan does not touch the broker.
 *
 * <p>Stalled runs come in groups started 10 s apart (one scan interval), then the bulk of the runs;
 * with the default 5-minute threshold the scans before minute 5 find nothing, and each scan after it
 * finds exactly one group.
 */
final class StuckScanBench {

    static final String NAME = "4. stuck scan";

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration SCAN_EVERY = Duration.ofSeconds(10);
    private static final JsonCodec<StageProgressEvent> EVENTS = JsonCodec.of(StageProgressEvent.class);

    /**
     * @param tracked  runs in the store, stalled ones included
     * @param stalled  stalled-run counts to measure
     * @param repeats  scans measured per stalled count
     */
    record Sizes(int tracked, List<Integer> stalled, int repeats) {
        static Sizes of(boolean quick) {
            return quick ? new Sizes(2_000, List.of(10, 200), 2) : new Sizes(1_000_000, List.of(10, 10_000), 3);
        }
    }

    private final Workspace workspace;
    private final Report report;
    private final Sizes sizes;

    StuckScanBench(Workspace workspace, Report report, boolean quick) {
        this.workspace = workspace;
        this.report = report;
        this.sizes = Sizes.of(quick);
    }

    void run() {
        ProgressConfig config = ProgressConfig.defaults().withTopics(Topics.defaults()).with(b -> b.stuckScanInterval(SCAN_EVERY));
        StreamsBuilder builder = new StreamsBuilder();
        ProgressTopology.addTo(builder, config);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-stuck");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, workspace.dir("stuck").toString());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props, T0)) {
            Clock clock = new Clock(driver);
            TestInputTopic<byte[], byte[]> progress = driver.createInputTopic(config.topics().stageProgress(),
                    new ByteArraySerializer(), new ByteArraySerializer(), T0, Duration.ZERO);

            System.out.printf(Locale.ROOT, "stuck scan: building %,d runs through a TopologyTestDriver%n", sizes.tracked());
            long buildStart = System.nanoTime();
            // In the order they will be found: every repeat of the first stalled count, then of the next.
            List<Integer> groups = new ArrayList<>();
            for (int stalled : sizes.stalled()) {
                groups.addAll(Collections.nCopies(sizes.repeats(), stalled));
            }
            int started = 0;
            for (int g = 0; g < groups.size(); g++) {
                started += startRuns(driver, progress, "stalled-" + g + "-", groups.get(g), clock.now());
                clock.advance(SCAN_EVERY);
            }
            startRuns(driver, progress, "active-", sizes.tracked() - started, clock.now());
            double buildSeconds = (System.nanoTime() - buildStart) / 1e9;

            // Scans until minute 5 find nothing: every run has had activity within its 5-minute threshold.
            Instant firstDeadline = T0.plus(config.defaultStuckAfter());
            LongSamples idle = new LongSamples();
            double idleReads = 0;
            while (clock.now().plus(SCAN_EVERY).compareTo(firstDeadline) <= 0) {
                double before = entriesRead(driver);
                idle.add(clock.advance(SCAN_EVERY));
                idleReads += entriesRead(driver) - before;
                drain(driver);
            }
            addRow(0, idle, idleReads / idle.size());

            // From then on each scan finds exactly one group: the one whose threshold just passed.
            for (int stalled : sizes.stalled()) {
                LongSamples scans = new LongSamples();
                double reads = 0;
                for (int r = 0; r < sizes.repeats(); r++) {
                    double before = entriesRead(driver);
                    scans.add(clock.advance(SCAN_EVERY));
                    reads += entriesRead(driver) - before;
                    drain(driver);
                }
                addRow(stalled, scans, reads / scans.size());
            }

            report.add(Row.of(NAME, String.format(Locale.ROOT, "reading every run once, %,d runs", sizes.tracked()),
                    readEveryRun(driver) / 1e6, "ms", "what an O(runs) scan would at least cost, same store"));
            report.note(NAME, String.format(Locale.ROOT, "Built through a TopologyTestDriver (the real progress "
                    + "topology, RocksDB stores, exactly_once_v2 config) in %.0f s: one RUN_STARTED per run, default "
                    + "5-minute threshold, scan every 10 s, at most %,d runs per scan. A scan's time is the whole "
                    + "`advanceWallClockTime` call: the scan, flagging each stalled run (run snapshot and index "
                    + "rewritten, a STUCK alert and a run-status record produced) and the commit that follows. The "
                    + "driver commits and captures output in memory; on a broker the scan itself costs the same, "
                    + "the produce is asynchronous.", buildSeconds, config.maxStuckPerScan()));
            report.note(NAME, "The figure is the median of the measured scans (the idle case: every scan from the end "
                    + "of the build to minute 5; the stalled cases: " + sizes.repeats() + " scans each). Entries read "
                    + "comes from the `" + StuckScan.ENTRIES_READ + "-total` metric. The last row reads every run of "
                    + "`progress-runs` once, the least a scan that looked at every run would do.");
        }
    }

    private void addRow(int stalled, LongSamples scans, double entriesRead) {
        Percentiles p = scans.percentiles();
        report.add(Row.of(NAME, String.format(Locale.ROOT, "one scan, %,d runs, %,d stalled", sizes.tracked(), stalled),
                p.p50() / 1e6, "ms", String.format(Locale.ROOT, "%,.0f entries read per scan; %d scans, max %.2f ms",
                        entriesRead, p.count(), p.max() / 1e6)));
    }

    /** Starts {@code count} runs at {@code at}; returns {@code count}. */
    private static int startRuns(TopologyTestDriver driver, TestInputTopic<byte[], byte[]> progress, String prefix,
            int count, Instant at) {
        for (int i = 0; i < count; i++) {
            String runId = prefix + i;
            progress.pipeInput(runId.getBytes(StandardCharsets.UTF_8), EVENTS.write(new StageProgressEvent(runId,
                    null, null, null, ProgressKind.RUN_STARTED, null, null, null, null, null, at, null)));
            if (i % 10_000 == 9_999) {
                drain(driver);
            }
        }
        drain(driver);
        return count;
    }

    /** The driver keeps everything it produced in memory until read; a million runs would not fit. */
    private static void drain(TopologyTestDriver driver) {
        ByteArrayDeserializer bytes = new ByteArrayDeserializer();
        for (String topic : driver.producedTopicNames()) {
            driver.createOutputTopic(topic, bytes, bytes).readRecordsToList();
        }
    }

    private static double entriesRead(TopologyTestDriver driver) {
        return driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(StuckScan.ENTRIES_READ + "-total"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .sum();
    }

    /** Nanoseconds to read every run snapshot once. */
    private static long readEveryRun(TopologyTestDriver driver) {
        KeyValueStore<String, Object> runs = driver.getKeyValueStore(ProgressTopology.RUNS_STORE);
        long start = System.nanoTime();
        long count = 0;
        try (KeyValueIterator<String, Object> all = runs.all()) {
            while (all.hasNext()) {
                all.next();
                count++;
            }
        }
        if (count == 0) {
            throw new IllegalStateException("no runs in " + ProgressTopology.RUNS_STORE);
        }
        return System.nanoTime() - start;
    }

    /** The driver's wall clock, and the time each move of it (with the punctuations it fires) takes. */
    private static final class Clock {
        private final TopologyTestDriver driver;
        private Instant now = T0;

        Clock(TopologyTestDriver driver) {
            this.driver = driver;
        }

        Instant now() {
            return now;
        }

        /** Moves the wall clock; returns how many nanoseconds the punctuations and commit took. */
        long advance(Duration by) {
            now = now.plus(by);
            long start = System.nanoTime();
            driver.advanceWallClockTime(by);
            return System.nanoTime() - start;
        }
    }
}
