package io.cronstream.bench;

import io.cronstream.app.CronstreamApp;
import io.cronstream.schemas.JsonCodec;
import io.cronstream.schemas.ProgressKind;
import io.cronstream.schemas.RunSnapshot;
import io.cronstream.schemas.RunStatus;
import io.cronstream.schemas.StageProgressEvent;
import io.cronstream.schemas.StageProgressJson;
import io.cronstream.schemas.Topics;
import io.cronstream.topology.ProgressConfig;
import io.cronstream.topology.ProgressTopology;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.DoubleSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Benchmark 3: stage-progress events folded into runs end to end (parse, repartition by runId, fold,
 * publish status, history), exactly-once and at-least-once, against a plain consumer reading the same
 * records from the same broker: the most any consumer of that topic could do here.
 */
final class ProgressBench {

    static final String NAME = "3. progress fold";

    private static final JsonCodec<StageProgressEvent> EVENTS = JsonCodec.of(StageProgressEvent.class);
    private static final JsonCodec<RunSnapshot> RUNS = JsonCodec.of(RunSnapshot.class);
    private static final Duration TIMEOUT = Duration.ofMinutes(30);

    /** {@code runs} concurrent runs, {@code eventsPerRun} events each, interleaved as concurrent workers send them. */
    record Sizes(int runs, int eventsPerRun) {
        static Sizes of(boolean quick) {
            return quick ? new Sizes(20, 30) : new Sizes(1_000, 500);
        }

        /** What runs, untimed, before the measured runs: enough for the JIT to compile the paths they take. */
        Sizes warmUp() {
            return new Sizes(Math.max(1, runs / 5), eventsPerRun);
        }

        int events() {
            return runs * eventsPerRun;
        }
    }

    private final Workspace workspace;
    private final Report report;
    private final Sizes sizes;
    /** Measured runs of each figure; the report gives their median. */
    private final int repeats;

    ProgressBench(Workspace workspace, Report report, boolean quick) {
        this.workspace = workspace;
        this.report = report;
        this.sizes = Sizes.of(quick);
        this.repeats = quick ? 1 : 3;
    }

    void run() {
        String bootstrap = workspace.broker().bootstrapServers();
        String input = "bench-progress.stage-progress";
        String warmUpInput = "bench-progress-warm-up.stage-progress";
        workspace.createTopics(List.of(new NewTopic(input, 1, (short) 1), new NewTopic(warmUpInput, 1, (short) 1)));
        produce(bootstrap, input, sizes);
        produce(bootstrap, warmUpInput, sizes.warmUp());

        // The broker, clients, Jackson and the topology share this JVM: without a warm-up the first measured run
        // would pay most of their JIT compilation (a compiler thread busy on the second core throughout).
        System.out.println("progress fold: warm-up");
        plainConsumer(bootstrap, warmUpInput, sizes.warmUp());
        parsingConsumer(bootstrap, warmUpInput, sizes.warmUp());
        for (String guarantee : List.of(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE)) {
            fold(bootstrap, warmUpInput, guarantee, "bench-progress-warm-up-", sizes.warmUp());
        }

        // A measured run of the fold lasts seconds: one GC pause or slow commit moves it, so each figure is the
        // median of several runs (each a fresh application over the same records), the baselines' too.
        Median plain = Median.of(repeats, () -> plainConsumer(bootstrap, input, sizes));
        Median parsed = Median.of(repeats, () -> parsingConsumer(bootstrap, input, sizes));
        String events = String.format(Locale.ROOT, "%,d events", sizes.events());
        String shape = String.format(Locale.ROOT, "%,d runs × %d events", sizes.runs(), sizes.eventsPerRun());
        for (String guarantee : List.of(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE)) {
            List<Fold> folds = new ArrayList<>();
            for (int attempt = 1; attempt <= repeats; attempt++) {
                System.out.printf(Locale.ROOT, "progress fold: %s, run %d%n", guarantee, attempt);
                folds.add(fold(bootstrap, input, guarantee, "bench-progress-" + attempt + "-", sizes));
            }
            Median folded = Median.of(folds.stream().map(Fold::eventsPerSecond).toList());
            report.add(Row.against(NAME, "events/s folded, " + guarantee + ", " + events, folded.value(), "events/s",
                    "plain consumer, same records", plain.value(), shape + "; " + folded.of("fold") + "; "
                            + plain.of("consumer") + "; first record processed "
                            + Median.joined(folds.stream().map(Fold::openingMillis).toList())
                            + " ms after RUNNING (not timed)"));
            report.add(Row.against(NAME, "events/s folded, " + guarantee + ", vs a parsing consumer", folded.value(),
                    "events/s", "consumer parsing + folding into a HashMap", parsed.value(), shape + "; "
                            + parsed.of("parsing consumer")));
        }
        report.note(NAME, String.format(Locale.ROOT, "%,d runs × %d events (RUN_STARTED with a jobId, STAGE_STARTED, "
                + "PROGRESS +1 ..., RUN_COMPLETED), interleaved across runs, no eventIds (so no redelivery "
                + "bookkeeping), in one partition of one topic, produced before the application starts. Folded = "
                + "the progress topology alone (parse, fold into `progress-runs` where the event is read, since "
                + "its partition owns its run, with the run's indexes, run-status, job history), one stream thread, "
                + "the service's commit interval under exactly-once (" + CronstreamApp.DEFAULT_COMMIT_INTERVAL_MS
                + " ms; a status change asks for an earlier commit, as in the service; Kafka Streams' 30 s "
                + "at-least-once), timed from the first record the application processed (its thread's `process-total` above 0, checked every 5 ms) until every run's COMPLETED "
                + "status is read from `run-status` (read_committed for exactly-once): a fresh application opens its "
                + "stores between RUNNING and its first record, which says nothing about folding, so that time is "
                + "left out and shown in the detail column. Before the measured runs, untimed, the "
                + "same steps (both consumers, both guarantees) on %,d runs × %d events of a topic of their own, so "
                + "the JIT has compiled what the measured runs execute (broker and clients share the JVM). Each figure is "
                + "the median of " + repeats + " measured runs (each fold a fresh application over the same records), all "
                + "of them in the detail column.",
                sizes.runs(), sizes.eventsPerRun(), sizes.warmUp().runs(), sizes.warmUp().eventsPerRun()));
        report.note(NAME, "Baseline: one KafkaConsumer (max.poll.records 5000) reading the same records as bytes, "
                + "deserializing nothing, timed from its first record to its last: the physical limit of this broker and machine, not a competing product.");
        report.note(NAME, "Fairer baseline (\"parsing consumer\"): the same consumer, but every record is parsed as a "
                + "`StageProgressEvent` by the same reader the topology uses (`StageProgressJson`) and folded into a `HashMap` (per run: "
                + "status, and per stage its status and done count), in memory only: no repartition, no store, no "
                + "changelog, no transaction, no output. What a hand-written, non-durable fold would do.");
    }

    private static void produce(String bootstrap, String topic, Sizes sizes) {
        Instant at = Instant.now();
        int stageTotal = sizes.eventsPerRun() - 2; // one more than the PROGRESS events: only RUN_COMPLETED ends the run
        try (Kafka.Writer producer = new Kafka.Writer(bootstrap)) {
            for (int k = 0; k < sizes.eventsPerRun(); k++) {
                for (int r = 0; r < sizes.runs(); r++) {
                    String runId = "bench-run-" + r;
                    StageProgressEvent event;
                    if (k == 0) {
                        event = event(runId, "bench-job-" + r % 50, null, ProgressKind.RUN_STARTED, null, at);
                    } else if (k == 1) {
                        event = event(runId, null, "thumbnail", ProgressKind.STAGE_STARTED, (long) stageTotal, at);
                    } else if (k == sizes.eventsPerRun() - 1) {
                        event = event(runId, null, null, ProgressKind.RUN_COMPLETED, null, at);
                    } else {
                        event = event(runId, null, "thumbnail", ProgressKind.PROGRESS, null, at);
                    }
                    producer.send(topic, runId.getBytes(StandardCharsets.UTF_8), EVENTS.write(event));
                }
            }
            producer.flush();
        }
    }

    private static StageProgressEvent event(String runId, String jobId, String stage, ProgressKind kind, Long total,
            Instant at) {
        return new StageProgressEvent(runId, jobId, null, stage, kind, total, null, null, null, null, at, null);
    }

    /**
     * Events per second one plain consumer reads the topic at, from its first record to its last (connecting
     * is left out, as the fold's timing leaves out the application's start).
     */
    private static double plainConsumer(String bootstrap, String topic, Sizes sizes) {
        long[] firstAndLast = {0, 0};
        long read = Kafka.readAll(bootstrap, topic, false, record -> {
            firstAndLast[1] = System.nanoTime();
            if (firstAndLast[0] == 0) {
                firstAndLast[0] = firstAndLast[1];
            }
        });
        if (read != sizes.events()) {
            throw new IllegalStateException("read " + read + " of " + sizes.events() + " events");
        }
        return (read - 1) / ((firstAndLast[1] - firstAndLast[0]) / 1e9);
    }

    /** The median of {@code n} measurements, and all of them for the report. */
    record Median(double value, List<Double> all) {
        static Median of(int n, DoubleSupplier measure) {
            List<Double> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                all.add(measure.getAsDouble());
            }
            return of(all);
        }

        static Median of(List<Double> all) {
            List<Double> sorted = all.stream().sorted().toList();
            return new Median(sorted.get(sorted.size() / 2), all);
        }

        /** The values as the detail column shows them: {@code 1,234 / 5,678}. */
        static String joined(List<Double> values) {
            return values.stream().map(v -> String.format(Locale.ROOT, "%,.0f", v)).collect(Collectors.joining(" / "));
        }

        String of(String what) {
            return all.size() == 1 ? "one " + what + " run" : what + " median of " + joined(all) + " events/s";
        }
    }

    /**
     * One measured fold: events per second from its first processed record, and the milliseconds from RUNNING to
     * that record (the stores being opened), which are not timed.
     */
    record Fold(double eventsPerSecond, double openingMillis) {
    }

    /** What the parsing consumer keeps per run: its status and, per stage, whether it started and how many done. */
    private static final class FoldedRun {
        String status = "PENDING";
        final Map<String, long[]> stages = new HashMap<>(4);
    }

    /**
     * Events per second one plain consumer reads, parses ({@link StageProgressJson}, as the topology does) and folds into a
     * {@link HashMap} at, from its first record to its last: the fairer baseline, with no durability at all.
     */
    private static double parsingConsumer(String bootstrap, String topic, Sizes sizes) {
        long[] firstAndLast = {0, 0};
        Map<String, FoldedRun> runs = new HashMap<>();
        long read = Kafka.readAll(bootstrap, topic, false, record -> {
            StageProgressEvent event = StageProgressJson.read(record.value());
            FoldedRun run = runs.computeIfAbsent(event.runId(), id -> new FoldedRun());
            switch (event.kind()) {
                case RUN_STARTED -> run.status = "RUNNING";
                case RUN_COMPLETED -> run.status = "COMPLETED";
                case RUN_FAILED -> run.status = "FAILED";
                case HEARTBEAT -> { }
                default -> {
                    long[] stage = run.stages.computeIfAbsent(event.stage(), name -> new long[2]);
                    if (event.kind() == ProgressKind.STAGE_STARTED) {
                        stage[0] = 1;
                    } else if (event.kind() == ProgressKind.PROGRESS) {
                        stage[1] += event.increment() == null ? 1 : event.increment();
                    } else if (event.kind() == ProgressKind.STAGE_COMPLETED) {
                        stage[0] = 2;
                    }
                }
            }
            firstAndLast[1] = System.nanoTime();
            if (firstAndLast[0] == 0) {
                firstAndLast[0] = firstAndLast[1];
            }
        });
        if (read != sizes.events() || runs.size() != sizes.runs()
                || runs.values().stream().anyMatch(run -> !run.status.equals("COMPLETED"))) {
            throw new IllegalStateException("parsing consumer: read " + read + " of " + sizes.events() + " events, "
                    + runs.size() + " runs");
        }
        return (read - 1) / ((firstAndLast[1] - firstAndLast[0]) / 1e9);
    }

    /** How fast the progress topology folds with {@code guarantee}, until every run is COMPLETED. */
    private Fold fold(String bootstrap, String input, String guarantee, String appIdPrefix, Sizes sizes) {
        String appId = appIdPrefix + guarantee.replace('_', '-');
        Topics own = Topics.withPrefix(appId + ".");
        Topics topics = new Topics(own.jobs(), own.commands(), own.jobDue(), input, own.fileChanges(), own.runStatus(),
                own.stuckRuns(), own.dlq(), own.alerts(), own.runControl(), own.jobGraph());
        workspace.createTopics(topics.all().stream().filter(t -> !t.equals(input))
                .map(t -> new NewTopic(t, 1, (short) 1)).toList());
        StreamsBuilder builder = new StreamsBuilder();
        ProgressTopology.addTo(builder, ProgressConfig.defaults().withTopics(topics));
        Properties props = StreamsRun.properties(appId, bootstrap, workspace.dir(appId), guarantee);
        boolean exactlyOnce = guarantee.equals(StreamsConfig.EXACTLY_ONCE_V2);
        try (KafkaConsumer<byte[], byte[]> statuses = Kafka.consumer(bootstrap, exactlyOnce);
                StreamsRun run = StreamsRun.start(builder.build(props), props)) {
            TopicPartition partition = new TopicPartition(topics.runStatus(), 0);
            statuses.assign(List.of(partition));
            statuses.seekToBeginning(List.of(partition));
            long completed = 0;
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            long processingAt = 0;
            while (completed < sizes.runs()) {
                if (processingAt == 0 && run.processing()) {
                    processingAt = System.nanoTime();
                }
                for (ConsumerRecord<byte[], byte[]> record : statuses.poll(Duration.ofMillis(5))) {
                    if (RUNS.read(record.value()).status() == RunStatus.COMPLETED) {
                        completed++;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(appId + ": " + completed + " of " + sizes.runs()
                            + " runs completed within " + TIMEOUT);
                }
            }
            long end = System.nanoTime();
            if (processingAt == 0) {
                processingAt = run.runningAt();
            }
            return new Fold(sizes.events() / ((end - processingAt) / 1e9), (processingAt - run.runningAt()) / 1e6);
        }
    }
}
