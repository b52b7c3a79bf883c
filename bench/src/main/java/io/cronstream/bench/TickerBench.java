package io.cronstream.bench;

import io.cronstream.app.CronstreamApp;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.JsonCodec;
import io.cronstream.schemas.Topics;
import io.cronstream.streams.PromptCommits;
import io.cronstream.ticker.TickerConfig;
import io.cronstream.ticker.TickerTopology;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;
import org.quartz.SchedulerException;

/**
 * Benchmark 1: the ticker with 10k, 100k and 1M jobs on the embedded broker, exactly-once, against
 * Quartz RAMJobStore with the same jobs. Per size, one job set (see {@link JobSet}) and two windows:
 * a fixed-due window (only the hot jobs fire: same due count per punctuation at every size) and a
 * full window (every job fires once a minute: the sustained rate).
 */
final class TickerBench {

    static final String NAME = "1. ticker";

    private static final String THREAD_METRICS = "stream-thread-metrics";
    private static final String STATE_METRICS = "stream-state-metrics";
    private static final String TICKER_METRICS = "stream-cronstream-ticker-metrics";
    private static final JsonCodec<DueEvent> DUE = JsonCodec.of(DueEvent.class);
    private static final String QUARTZ = "Quartz RAMJobStore";

    /**
     * @param jobs        job counts to run
     * @param warmup      jobs of an unreported first round, so the first size does not pay for JIT compilation (0: none)
     * @param hot         jobs that fire from the start (hot / 60 due per second)
     * @param fixedWindow how long the fixed-due window lasts
     * @param fullWindow  how long every job fires before the figures are taken
     * @param drain       how long fires due inside the full window may still arrive after it
     * @param startup     allowance for starting the application, when placing the full window after the load
     * @param margin      slack between the fixed-due window and the full one
     */
    record Sizes(List<Integer> jobs, int warmup, int hot, Duration fixedWindow, Duration fullWindow, Duration drain,
            Duration startup, Duration margin) {
        static Sizes of(boolean quick) {
            return quick
                    ? new Sizes(List.of(600), 0, 120, Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(1),
                            Duration.ofSeconds(3), Duration.ofSeconds(1))
                    : new Sizes(List.of(10_000, 100_000, 1_000_000), 6_000, 6_000, Duration.ofSeconds(30),
                            Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(3));
        }

        Sizes withJobs(List<Integer> counts) {
            return new Sizes(counts, warmup, hot, fixedWindow, fullWindow, drain, startup, margin);
        }
    }

    /**
     * Lateness and throughput seen in one window. {@code received}: receive time at a read_committed consumer −
     * scheduledFor (lateness as a consumer sees it); {@code lateness}: firedAt − scheduledFor; {@code appendLateness}:
     * broker append time − scheduledFor; {@code notReceived}: fires read back afterwards that the live consumer had not
     * received by the end of the drain.
     */
    record Window(long expected, long emitted, double seconds, Percentiles lateness, Percentiles appendLateness,
            Percentiles received, long notReceived) {
        double firesPerSecond() {
            return emitted / seconds;
        }
    }

    private final Workspace workspace;
    private final Report report;
    private final Sizes sizes;
    /** Jobs per second the ticker loads at least (about 6,000 measured at 100,000 jobs), to place the full window after the load. */
    private double loadRate = 4_000;
    /** Jobs per second Quartz scheduled last time, for the same. */
    private double quartzRate = 5_000;
    /** Heap RAMJobStore took per job last time, to tell whether the next size fits. */
    private double quartzBytesPerJob;

    TickerBench(Workspace workspace, Report report, Options options) {
        this.workspace = workspace;
        this.report = report;
        Sizes defaults = Sizes.of(options.quick());
        this.sizes = options.jobs().isEmpty() ? defaults : defaults.withJobs(options.jobs());
    }

    void run() throws Exception {
        if (sizes.warmup() > 0) {
            System.out.printf(Locale.ROOT, "ticker: warm-up round with %,d jobs, not reported%n", sizes.warmup());
            cronstream(sizes.warmup());
            quartz(sizes.warmup());
        }
        for (int jobs : sizes.jobs()) {
            System.out.printf(Locale.ROOT, "ticker: %,d jobs, Cronstream%n", jobs);
            CronstreamResult cronstream = cronstream(jobs);
            Optional<QuartzResult> quartz = quartzFits(jobs) ? Optional.of(quartz(jobs)) : Optional.empty();
            Machine.liveHeapBytes(); // a full collection hands the heap RAMJobStore held back to the shared machine
            addRows(jobs, cronstream, quartz);
        }
        report.note(NAME, "Job set: every job fires once a minute at second i mod 60 (fire times spread evenly over "
                + "the minute); cron dialects UNIX (5 fields, second 0 only), SPRING (6 fields) and QUARTZ (6 and 7 "
                + "fields); zones " + String.join(", ", JobSet.ZONES) + ". The first " + sizes.hot() + " jobs fire "
                + "from the start; the rest carry a `startAt`, so until then every punctuation has the same "
                + sizes.hot() / 60 + " jobs due at every size (the fixed-due window, " + sizes.fixedWindow().toSeconds()
                + " s), and after it every job fires (the full window, " + sizes.fullWindow().toSeconds() + " s).");
        report.note(NAME, "Cronstream: the ticker topology alone, one partition, one stream thread, exactly_once_v2, "
                + "default settings (punctuation every " + TickerConfig.DEFAULT_PUNCTUATE_EVERY.toMillis() + " ms, commit "
                + "interval " + CronstreamApp.DEFAULT_COMMIT_INTERVAL_MS + " ms with a commit asked for right after "
                + "a punctuation that fired, at most every " + PromptCommits.GAP.toMillis() + " ms, at most 50,000 fires per punctuation), on the embedded "
                + "KRaft broker in the same JVM. Load = from `KafkaStreams.start()` until the application has "
                + "committed the end of `cronstream.jobs` (records produced beforehand, as the connector would have).");
        report.note(NAME, "Lateness received = the moment a read_committed consumer (client defaults, polling "
                + "`job-due` from the start for the whole run, in the same JVM: same clock) receives the due event, "
                + "taken when its `poll` returns − scheduledFor: it includes waiting for the punctuation "
                + "(`cronstream.ticker.punctuate.interval`, default " + TickerConfig.DEFAULT_PUNCTUATE_EVERY.toMillis() + " ms), the punctuation itself, the exactly-once "
                + "commit the fires ask for (at once, or within " + PromptCommits.GAP.toMillis() + " ms of the last one "
                + "asked for), and the fetch. The "
                + "detail column adds firedAt − scheduledFor (firedAt is stamped when the punctuation starts) and the "
                + "broker's append time − scheduledFor (job-due topic with LogAppendTime).");
        report.note(NAME, "Punctuation cost = Kafka Streams' `punctuate-latency-avg` of the stream thread (10 s sample "
                + "windows) at the end of the fixed-due window; entries read per punctuation = Δ`schedule-entries-read-total` "
                + "÷ Δ`punctuate-total` over the window. Quartz has no punctuation: no baseline for that row.");
        report.note(NAME, "Quartz " + Machine.quartz() + ": RAMJobStore, " + QuartzBaseline.THREADS + " worker threads, "
                + "batch acquisition of up to " + QuartzBaseline.THREADS + " triggers, misfire threshold 60 s, a no-op "
                + "job; lateness = job start − scheduled fire time (µs clock). RAMJobStore is neither durable (a "
                + "restart forgets every job and fire) nor exactly-once (it emits nothing another system could read "
                + "transactionally): the ratio compares a transactional, replicated-state ticker with the fastest "
                + "in-memory Quartz, not like with like.");
        report.note(NAME, "Memory: Cronstream = growth of live heap (after full GC, in a JVM that also hosts the broker) "
                + "+ RocksDB memtables + block-cache usage of the two ticker stores (Kafka Streams' RocksDB metrics, "
                + "default RocksDB settings); the store itself lives on disk (SST size in the detail column), RocksDB "
                + "pages it in as needed. Quartz = growth of live heap: RAMJobStore holds everything on the heap.");
        report.note(NAME, "Logging: the service's shipped configuration (`config/logback.xml`), whichever way the "
                + "benchmark is launched (`./cronstream bench` passes it, the Maven command finds it on the classpath).");
        report.note(NAME, "Restore: after the full window the measured instance closes (leaving the group, so the "
                + "next one is assigned at once rather than after the session timeout; a crashed instance adds that "
                + "timeout) and a fresh one starts with an empty state directory and no standby: it restores "
                + "`ticker-jobs`, `ticker-schedule`, `ticker-jobs-by-name` and `ticker-retries` from their changelogs "
                + "(and the job graph from its topic), then fires what is due. Timed from its start until its first "
                + "due event is readable with read_committed; the changelogs are not compacted yet at that point "
                + "(one record per registration and per fire).");
    }

    private record CronstreamResult(double produceSeconds, double startSeconds, double loadSeconds, long heapBytes, long memtableBytes,
            long blockCacheBytes, long sstBytes, double punctuationMs, double punctuationMaxMs, double entriesPerPunctuation,
            Window fixed, Window full, boolean fixedContaminated, double fullPunctuationMaxMs, int rebalances,
            double load, double punctuationsPerSecond, double commitsPerSecond, Restore restore) {
    }

    /**
     * A fresh instance (empty state directory, no standby) taking over after the measured one stopped: seconds from
     * its start until RUNNING, until its last store restore ended, and until its first due event was readable
     * (read_committed); records restored; load.
     */
    private record Restore(double runningSeconds, double restoredSeconds, double firstFireSeconds, long records,
            double load) {
    }

    private record QuartzResult(double loadSeconds, long heapBytes, Window fixed, Window full, double load) {
    }

    private CronstreamResult cronstream(int jobs) throws Exception {
        String bootstrap = workspace.broker().bootstrapServers();
        Topics topics = Topics.withPrefix("bench-ticker-" + jobs + ".");
        workspace.createTopics(List.of(
                new NewTopic(topics.jobs(), 1, (short) 1).configs(Map.of("cleanup.policy", "compact")),
                new NewTopic(topics.commands(), 1, (short) 1),
                new NewTopic(topics.jobDue(), 1, (short) 1).configs(Map.of("message.timestamp.type", "LogAppendTime")),
                new NewTopic(topics.dlq(), 1, (short) 1),
                new NewTopic(topics.alerts(), 1, (short) 1),
                // the global job-graph store's source: must exist before the application starts
                new NewTopic(topics.jobGraph(), 1, (short) 1).configs(Map.of("cleanup.policy", "compact"))));

        double predictedLoad = sizes.startup().toSeconds() + jobs / loadRate + jobs / 50_000.0;
        Instant coldStart = wholeSecond(Instant.now().plusSeconds((long) predictedLoad)
                .plus(sizes.fixedWindow()).plus(sizes.margin()));
        JobSet set = new JobSet(jobs, Math.min(sizes.hot(), jobs), coldStart);

        long produceStart = System.nanoTime();
        try (Kafka.Writer producer = new Kafka.Writer(bootstrap)) {
            for (int i = 0; i < jobs; i++) {
                JobSet.Job job = set.job(i);
                producer.send(topics.jobs(), JobSet.key(job), set.document(job));
            }
            producer.flush();
        }
        double produceSeconds = seconds(System.nanoTime() - produceStart);

        long heap0 = Machine.liveHeapBytes();
        String appId = "bench-ticker-" + jobs;
        Properties props = StreamsRun.properties(appId, bootstrap, workspace.dir(appId), StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.METRICS_SAMPLE_WINDOW_MS_CONFIG, 10_000);
        CronstreamResult measured;
        try (DueReceiver receiver = new DueReceiver(bootstrap, topics.jobDue());
                StreamsRun run = StreamsRun.start(TickerTopology.build(TickerConfig.defaults(topics)), props)) {
            long loaded = Kafka.awaitCommitted(bootstrap, appId, topics.jobs(), Duration.ofMinutes(60));
            double loadSeconds = seconds(loaded - run.startedAt());
            // a small size's load is mostly start-up: it must not make a large size wait for a load that is long done
            loadRate = Math.max(loadRate, 0.7 * jobs / loadSeconds);
            long heapBytes = Math.max(0, Machine.liveHeapBytes() - heap0);
            long memtableBytes = (long) run.metric(STATE_METRICS, "size-all-mem-tables");
            long blockCacheBytes = (long) run.metric(STATE_METRICS, "block-cache-usage");
            long sstBytes = (long) run.metric(STATE_METRICS, "total-sst-files-size");

            // The fixed-due window: only hot jobs are due, however many jobs are loaded.
            Instant fixedStart = wholeSecond(Instant.now().plusSeconds(1));
            Instant fixedEnd = min(fixedStart.plus(sizes.fixedWindow()), coldStart.minusSeconds(1));
            boolean contaminated = !fixedEnd.isAfter(fixedStart.plusSeconds(1));
            StreamsRun.sleepUntil(fixedStart.toEpochMilli());
            double punctuations0 = run.metric(THREAD_METRICS, "punctuate-total");
            double entries0 = run.metric(TICKER_METRICS, "schedule-entries-read-total");
            double commits0 = run.metric(THREAD_METRICS, "commit-total");
            StreamsRun.sleepUntil(fixedEnd.toEpochMilli());
            double punctuations = run.metric(THREAD_METRICS, "punctuate-total") - punctuations0;
            double commits = run.metric(THREAD_METRICS, "commit-total") - commits0;
            double fixedSeconds = Duration.between(fixedStart, fixedEnd).toMillis() / 1000.0;
            double entries = run.metric(TICKER_METRICS, "schedule-entries-read-total") - entries0;
            double punctuationMs = run.metric(THREAD_METRICS, "punctuate-latency-avg");
            double punctuationMaxMs = run.metric(THREAD_METRICS, "punctuate-latency-max");

            // The full window: every job fires once a minute. Kafka Streams keeps a maximum only over its
            // sample windows, so it is read every few seconds.
            Instant fullEnd = coldStart.plus(sizes.fullWindow());
            StreamsRun.sleepUntil(coldStart.toEpochMilli());
            int rebalances0 = run.rebalances();
            double fullPunctuationMaxMs = 0;
            while (System.currentTimeMillis() < fullEnd.plus(sizes.drain()).toEpochMilli()) {
                StreamsRun.sleep(Math.min(5_000, Math.max(1, fullEnd.plus(sizes.drain()).toEpochMilli()
                        - System.currentTimeMillis())));
                fullPunctuationMaxMs = Math.max(fullPunctuationMaxMs, run.metric(THREAD_METRICS, "punctuate-latency-max"));
            }
            int rebalances = run.rebalances() - rebalances0;
            double load = Machine.load1();

            Instant[] fixed = {fixedStart, fixedEnd};
            Instant[] full = {coldStart, fullEnd};
            Window[] windows = dueWindows(bootstrap, topics.jobDue(), set, fixed, full, receiver);
            measured = new CronstreamResult(produceSeconds, seconds(run.runningAt() - run.startedAt()), loadSeconds, heapBytes, memtableBytes, blockCacheBytes,
                    sstBytes, punctuationMs,
                    punctuationMaxMs, punctuations == 0 ? 0 : entries / punctuations, windows[0], windows[1],
                    contaminated, fullPunctuationMaxMs, rebalances, load, punctuations / fixedSeconds,
                    commits / fixedSeconds, null);
            run.closeLeavingGroup();
        }
        Restore restore = restore(bootstrap, appId, topics);
        return new CronstreamResult(measured.produceSeconds(), measured.startSeconds(), measured.loadSeconds(),
                measured.heapBytes(), measured.memtableBytes(), measured.blockCacheBytes(), measured.sstBytes(),
                measured.punctuationMs(), measured.punctuationMaxMs(), measured.entriesPerPunctuation(),
                measured.fixed(), measured.full(), measured.fixedContaminated(), measured.fullPunctuationMaxMs(),
                measured.rebalances(), measured.load(), measured.punctuationsPerSecond(), measured.commitsPerSecond(),
                restore);
    }

    /**
     * The instance that was measured is gone with its state directory (it left the group, so the new one is
     * assigned at once instead of after the session timeout); a new one starts with an empty state directory and
     * no standby, restores the ticker's stores from their changelogs, and fires what is due (every job is, a
     * minute after the full window): timed until its first due event is readable with read_committed.
     */
    private Restore restore(String bootstrap, String appId, Topics topics) throws Exception {
        System.out.printf(Locale.ROOT, "ticker: restore of %s into a fresh instance%n", appId);
        TopicPartition duePartition = new TopicPartition(topics.jobDue(), 0);
        long dueEnd;
        try (org.apache.kafka.clients.admin.Admin admin = Kafka.admin(bootstrap)) {
            dueEnd = Kafka.endOffsets(admin, topics.jobDue()).get(duePartition);
        }
        Properties props = StreamsRun.properties(appId, bootstrap, workspace.dir(appId + "-restored"),
                StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 0);
        try (KafkaConsumer<byte[], byte[]> due = Kafka.consumer(bootstrap, true)) {
            due.assign(List.of(duePartition));
            due.seek(duePartition, dueEnd);
            try (StreamsRun run = StreamsRun.start(TickerTopology.build(TickerConfig.defaults(topics)), props)) {
                long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
                long firstFire = 0;
                while (firstFire == 0) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("no fire within 20 minutes of the restore's start");
                    }
                    if (!due.poll(Duration.ofMillis(50)).isEmpty()) {
                        firstFire = System.nanoTime();
                    }
                }
                long restoredAt = run.restoredAt() == 0 ? run.runningAt() : run.restoredAt();
                return new Restore(seconds(run.runningAt() - run.startedAt()), seconds(restoredAt - run.startedAt()),
                        seconds(firstFire - run.startedAt()), run.restoredRecords(), Machine.load1());
            }
        }
    }

    /** Reads every due event back (read_committed) and sorts it into the two windows by its scheduled time. */
    private static Window[] dueWindows(String bootstrap, String topic, JobSet set, Instant[] fixed, Instant[] full,
            DueReceiver receiver) {
        LongSamples fixedLate = new LongSamples();
        LongSamples fixedAppend = new LongSamples();
        LongSamples fixedReceived = new LongSamples();
        LongSamples fullLate = new LongSamples();
        LongSamples fullAppend = new LongSamples();
        LongSamples fullReceived = new LongSamples();
        long[] notReceived = {0, 0};
        long[] emittedInFull = {0};
        Kafka.readAll(bootstrap, topic, true, record -> {
            DueEvent due = DUE.read(record.value());
            long scheduled = due.scheduledFor().toEpochMilli();
            long late = due.firedAt().toEpochMilli() - scheduled;
            long appendLate = record.timestamp() - scheduled;
            long receivedAt = receiver.receivedAt(record.offset());
            if (within(scheduled, fixed)) {
                fixedLate.add(late);
                fixedAppend.add(appendLate);
                if (receivedAt < 0) {
                    notReceived[0]++;
                } else {
                    fixedReceived.add(receivedAt - scheduled);
                }
            } else if (within(scheduled, full)) {
                fullLate.add(late);
                fullAppend.add(appendLate);
                if (receivedAt < 0) {
                    notReceived[1]++;
                } else {
                    fullReceived.add(receivedAt - scheduled);
                }
            }
            if (within(record.timestamp(), full)) {
                emittedInFull[0]++;
            }
        });
        double fixedSeconds = seconds(fixed);
        double fullSeconds = seconds(full);
        return new Window[] {
            new Window(set.firesBetween(fixed[0], fixed[1], false), fixedLate.size(), fixedSeconds,
                    fixedLate.percentiles(), fixedAppend.percentiles(), fixedReceived.percentiles(), notReceived[0]),
            new Window(set.firesBetween(full[0], full[1], true), emittedInFull[0], fullSeconds,
                    fullLate.percentiles(), fullAppend.percentiles(), fullReceived.percentiles(), notReceived[1])
        };
    }

    /**
     * Whether RAMJobStore can hold {@code jobs} in this JVM's heap, judged by the heap per job the previous
     * size used. If not, says so in the notes: the ticker's figures at that size then stand without a baseline.
     */
    private boolean quartzFits(int jobs) {
        if (quartzBytesPerJob == 0) {
            return true;
        }
        long need = (long) (quartzBytesPerJob * jobs * 1.25);
        long free = Runtime.getRuntime().maxMemory() - Machine.liveHeapBytes();
        if (need <= free) {
            return true;
        }
        report.note(NAME, String.format(Locale.ROOT, "Quartz was not run with %,d jobs: RAMJobStore used %,.0f bytes of "
                + "heap per job at the previous size, so it would need about %.1f GiB of heap, and this JVM had %.1f "
                + "GiB free (max heap %.1f GiB; raise it with MAVEN_OPTS=-Xmx...). The Cronstream figures at that size "
                + "stand without a baseline.", jobs, quartzBytesPerJob, need / GIB, free / GIB,
                Runtime.getRuntime().maxMemory() / GIB));
        return false;
    }

    private QuartzResult quartz(int jobs) throws SchedulerException {
        System.out.printf(Locale.ROOT, "ticker: %,d jobs, Quartz%n", jobs);
        double predictedLoad = sizes.margin().toSeconds() + jobs / quartzRate;
        Instant coldStart = wholeSecond(Instant.now().plusSeconds((long) predictedLoad)
                .plus(sizes.fixedWindow()).plus(sizes.margin()));
        JobSet set = new JobSet(jobs, Math.min(sizes.hot(), jobs), coldStart);
        long expected = set.firesBetween(Instant.now(), coldStart.plus(sizes.fullWindow()).plus(sizes.drain()), true);
        try (QuartzBaseline quartz = QuartzBaseline.create("bench-" + jobs, (int) Math.min(Integer.MAX_VALUE - 8, expected * 2 + 1000))) {
            long heap0 = Machine.liveHeapBytes();
            long start = System.nanoTime();
            for (int i = 0; i < jobs; i++) {
                quartz.schedule(set.job(i));
            }
            double loadSeconds = seconds(System.nanoTime() - start);
            quartzRate = 0.7 * jobs / loadSeconds;
            long heapBytes = Math.max(0, Machine.liveHeapBytes() - heap0);
            quartzBytesPerJob = (double) heapBytes / jobs;
            quartz.start();
            Instant fixedStart = wholeSecond(Instant.now().plusSeconds(1));
            Instant fixedEnd = min(fixedStart.plus(sizes.fixedWindow()), coldStart.minusSeconds(1));
            Instant fullEnd = coldStart.plus(sizes.fullWindow());
            StreamsRun.sleepUntil(fullEnd.plus(sizes.drain()).toEpochMilli());
            quartz.close();
            Instant[] fixed = {fixedStart, fixedEnd};
            Instant[] full = {coldStart, fullEnd};
            return new QuartzResult(loadSeconds, heapBytes, quartzWindow(quartz.executions(), set, fixed, false),
                    quartzWindow(quartz.executions(), set, full, true), Machine.load1());
        }
    }

    private static Window quartzWindow(QuartzBaseline.Executions executions, JobSet set, Instant[] window,
            boolean coldIncluded) {
        LongSamples late = new LongSamples();
        long emitted = 0;
        for (int i = 0; i < executions.count(); i++) {
            long scheduled = executions.scheduledMillis(i);
            long started = executions.startedMicros(i);
            if (within(scheduled, window)) {
                late.add(started - scheduled * 1000);
            }
            if (within(started / 1000, window)) {
                emitted++;
            }
        }
        return new Window(set.firesBetween(window[0], window[1], coldIncluded), emitted, seconds(window),
                late.percentiles(), null, null, 0);
    }

    private void addRows(int jobs, CronstreamResult c, Optional<QuartzResult> quartz) {
        String size = String.format(Locale.ROOT, "%,d jobs", jobs);
        Double quartzLoad = quartz.map(QuartzResult::load).orElse(null);
        Consumer<Row> add = row -> report.add(row.measuredAt(c.load(), row.baseline() == null ? null : quartzLoad));
        add.accept(Row.against(NAME, "load time, " + size, c.loadSeconds(), "s", QUARTZ,
                quartz.map(QuartzResult::loadSeconds).orElse(null),
                String.format(Locale.ROOT, "%,.0f jobs/s; RUNNING after %.1f s; producing the jobs took %.1f s",
                        jobs / c.loadSeconds(), c.startSeconds(), c.produceSeconds())));
        add.accept(Row.against(NAME, "memory, " + size, mib(c.heapBytes() + c.memtableBytes() + c.blockCacheBytes()),
                "MiB", QUARTZ, quartz.map(q -> mib(q.heapBytes())).orElse(null), String.format(Locale.ROOT,
                        "heap +%.1f MiB, RocksDB memtables %.1f MiB + block cache %.1f MiB; SST files on disk %.1f MiB",
                        mib(c.heapBytes()), mib(c.memtableBytes()), mib(c.blockCacheBytes()), mib(c.sstBytes()))));
        add.accept(Row.of(NAME, String.format(Locale.ROOT, "punctuation cost, %s, %d due/s", size, sizes.hot() / 60),
                c.punctuationMs() * 1000, "µs", String.format(Locale.ROOT,
                        "%.1f entries read/punctuation; max %.1f ms; %.1f punctuations/s, %.1f commits/s; lateness "
                        + "received at this rate p99 %d ms (Quartz %s)%s",
                        c.entriesPerPunctuation(), c.punctuationMaxMs(), c.punctuationsPerSecond(), c.commitsPerSecond(),
                        c.fixed().received().p99(),
                        quartz.map(q -> q.fixed().lateness().count() == 0 ? "n/a: its window overlapped the scheduling"
                                : String.format(Locale.ROOT, "%.2f ms", q.fixed().lateness().p99() / 1000.0))
                                .orElse("not run"),
                        c.fixedContaminated() ? "; WINDOW OVERLAPPED THE LOAD" : "")));
        add.accept(Row.against(NAME, "fires/s sustained, " + size, c.full().firesPerSecond(), "fires/s", QUARTZ,
                quartz.map(q -> q.full().firesPerSecond()).orElse(null),
                String.format(Locale.ROOT, "offered %.0f/s; due in window %,d; emitted in window %,d (Quartz %s); "
                        + "longest punctuation %.1f s; %d rebalance(s)", jobs / 60.0, c.full().expected(),
                        c.full().emitted(), quartz.map(q -> String.format(Locale.ROOT, "%,d", q.full().emitted()))
                                .orElse("not run"), c.fullPunctuationMaxMs() / 1000, c.rebalances())));
        Restore r = c.restore();
        report.add(Row.of(NAME, "restore, fresh instance without standby, " + size, r.firstFireSeconds(), "s",
                String.format(Locale.ROOT, "until its first fire is readable; RUNNING after %.1f s, stores restored "
                        + "after %.1f s (%,d records from the changelogs)", r.runningSeconds(), r.restoredSeconds(),
                        r.records())).measuredAt(r.load(), null));
        Percentiles cr = c.full().received();
        Percentiles cl = c.full().lateness();
        Percentiles ca = c.full().appendLateness();
        Optional<Percentiles> ql = quartz.map(q -> q.full().lateness());
        add.accept(Row.against(NAME, "lateness received p50, " + size, cr.p50(), "ms", QUARTZ,
                ql.map(p -> p.p50() / 1000.0).orElse(null),
                String.format(Locale.ROOT, "firedAt − scheduled p50 %,d ms, broker append − scheduled p50 %,d ms; %,d "
                        + "fires received (%,d not by the end of the drain; Quartz %s)", cl.p50(), ca.p50(), cr.count(),
                        c.full().notReceived(), ql.map(p -> String.format(Locale.ROOT, "%,d", p.count())).orElse("not run"))));
        add.accept(Row.against(NAME, "lateness received p99, " + size, cr.p99(), "ms", QUARTZ,
                ql.map(p -> p.p99() / 1000.0).orElse(null),
                String.format(Locale.ROOT, "firedAt − scheduled p99 %,d ms, broker append − scheduled p99 %,d ms",
                        cl.p99(), ca.p99())));
        add.accept(Row.against(NAME, "lateness received max, " + size, cr.max(), "ms", QUARTZ,
                ql.map(p -> p.max() / 1000.0).orElse(null),
                String.format(Locale.ROOT, "firedAt − scheduled max %,d ms, broker append − scheduled max %,d ms",
                        cl.max(), ca.max())));
        if (c.fixedContaminated()) {
            report.note(NAME, String.format(Locale.ROOT, "%s: the load took longer than predicted, so the fixed-due "
                    + "window overlapped it; its punctuation figures include loading.", size));
        }
        if (c.rebalances() > 0) {
            report.note(NAME, String.format(Locale.ROOT, "%s: the application rebalanced %d time(s) in the full window, "
                    + "and its longest punctuation took %.1f s. A punctuation that outlives Kafka Streams' exactly-once "
                    + "transaction timeout (`transaction.timeout.ms`, 10 s by default) has its transaction aborted by "
                    + "the broker and its producer fenced (InvalidProducerEpochException, TaskMigratedException): the "
                    + "fires of that punctuation are rolled back and emitted again after the rebalance. Exactly once "
                    + "still, but late: a smaller `cronstream.ticker.max.fires.per.punctuation` (default 50,000) or "
                    + "a longer transaction timeout avoids it at this rate.", size, c.rebalances(),
                    c.fullPunctuationMaxMs() / 1000));
        }
    }

    private static boolean within(long epochMillis, Instant[] window) {
        return epochMillis >= window[0].toEpochMilli() && epochMillis < window[1].toEpochMilli();
    }

    private static double seconds(Instant[] window) {
        return Duration.between(window[0], window[1]).toMillis() / 1000.0;
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static final double GIB = 1024.0 * 1024 * 1024;

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    private static Instant wholeSecond(Instant instant) {
        return Instant.ofEpochSecond(instant.getNano() == 0 ? instant.getEpochSecond() : instant.getEpochSecond() + 1);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
