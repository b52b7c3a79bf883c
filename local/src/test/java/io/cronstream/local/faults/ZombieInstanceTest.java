package io.cronstream.local.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cronstream.devstack.EmbeddedKafka;
import io.cronstream.local.CronstreamProcess;
import io.cronstream.local.CronstreamTopics;
import io.cronstream.local.DueEvents;
import io.cronstream.local.Http;
import io.cronstream.schemas.DueEvent;
import io.cronstream.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two Cronstream JVMs; one is frozen with SIGSTOP (a long GC pause, a suspended VM) for longer than
 * the session timeout while eight jobs fire every second and workers report progress. The group
 * moves its partitions to the other, which catches the missed seconds up; then the frozen one gets
 * SIGCONT and carries on where it stopped: its tasks, its punctuation schedule and its transactional
 * producer all still believe they own the partitions. Whatever it emits then must never become
 * visible: read with {@code read_committed}, every second of every job fired exactly once, and
 * every progress event was counted exactly once. The frozen instance must also come back: its
 * thread, whose transaction the broker aborted meanwhile, is replaced and rejoins the group.
 */
class ZombieInstanceTest {

    private static final Logger LOG = LoggerFactory.getLogger(ZombieInstanceTest.class);
    private static final int PARTITIONS = 4;
    private static final List<String> JOBS = IntStream.range(0, 8).mapToObj(i -> "zombie-" + i).toList();
    private static final List<String> RUNS = IntStream.range(0, 4).mapToObj(i -> "zombie-run-" + i).toList();
    private static final Duration PATIENCE = Duration.ofMinutes(1);

    @Test
    void aFrozenInstanceThatWakesUpAfterItsPartitionsMovedNeitherDoublesNorLosesAFireOrAProgressEvent()
            throws Exception {
        Path dir = Files.createTempDirectory("cronstream-zombie");
        Topics topics = Topics.defaults();
        long testStarted = System.nanoTime();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(0, dir.resolve("kafka"), true)) {
            kafka.createTopics(CronstreamTopics.all(topics, PARTITIONS));
            int portA = FaultKit.freePort();
            CronstreamProcess a = instance("instance-a", kafka, dir, portA);
            CronstreamProcess b = instance("instance-b", kafka, dir, FaultKit.freePort());
            Http apiA = new Http("http://localhost:" + portA);
            List<ProgressStream> workers = new ArrayList<>();
            try (KafkaProducer<String, byte[]> producer = FaultKit.producer(kafka.bootstrapServers());
                    DueEvents due = new DueEvents(kafka.bootstrapServers(), topics.jobDue());
                    Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                for (String job : JOBS) {
                    FaultKit.send(producer, topics.jobs(), job, FaultKit.EVERY_SECOND.formatted(job));
                }
                producer.flush();
                a.start();
                b.start();
                // Both own half of everything, and the fires flow (each of the jobs fired a few times).
                await().atMost(PATIENCE).until(() -> jobPartitions(admin, topics, "instance-a").size() == PARTITIONS / 2
                        && jobPartitions(admin, topics, "instance-b").size() == PARTITIONS / 2);
                await().atMost(PATIENCE).until(() -> JOBS.stream().allMatch(job -> due.forJob(job).size() >= 2));
                for (String run : RUNS) {
                    workers.add(new ProgressStream(producer, topics.stageProgress(), run, "work").start(Duration.ofMillis(20)));
                }
                Set<TopicPartition> frozen = jobPartitions(admin, topics, "instance-b");

                b.pause();
                Instant pausedAt = Instant.now();
                // The group expels the frozen member once its session expires (6 s), A takes every
                // partition, and A has fired each of the frozen member's jobs for a second of the pause.
                await().atMost(PATIENCE).until(() -> members(admin, "instance-b").isEmpty()
                        && jobPartitions(admin, topics, "instance-a").size() == PARTITIONS);
                await().atMost(PATIENCE).until(() -> JOBS.stream().allMatch(job -> due.forJob(job).stream()
                        .anyMatch(d -> d.scheduledFor().isAfter(pausedAt.plusSeconds(1)))));
                Duration pause = Duration.between(pausedAt, Instant.now());
                b.resume();
                Instant resumedAt = Instant.now();
                LOG.info("event=zombie-resumed pausedMs={} frozenPartitions={}", pause.toMillis(), frozen);

                // B rejoins as a new member and gets its share back; the fires go on for a few seconds after.
                await().atMost(PATIENCE).until(() -> jobPartitions(admin, topics, "instance-b").size() == PARTITIONS / 2
                        && jobPartitions(admin, topics, "instance-a").size() == PARTITIONS / 2);
                Instant rebalanced = Instant.now();
                await().atMost(PATIENCE).until(() -> JOBS.stream().allMatch(job -> due.forJob(job).stream()
                        .anyMatch(d -> d.scheduledFor().isAfter(rebalanced.plusSeconds(2)))));
                long sent = 0;
                for (ProgressStream worker : workers) {
                    sent += worker.stop();
                }

                for (String run : RUNS) {
                    long acknowledged = workers.get(RUNS.indexOf(run)).acknowledged();
                    await().atMost(PATIENCE).until(() -> completed(apiA, run) >= acknowledged);
                    assertThat(completed(apiA, run)).as("progress events of %s counted", run).isEqualTo(acknowledged);
                }
                List<DueEvent> events = due.poll();
                assertThat(events).extracting(DueEvent::runId).doesNotHaveDuplicates();
                for (String job : JOBS) {
                    // each job fired before the pause, so its seconds run unbroken from before it to after it
                    FaultKit.assertEverySecondOnce(events, job, pausedAt, rebalanced.plusSeconds(2));
                }
                LOG.info("event=zombie-test-done pausedMs={} rejoinMs={} dueEvents={} progressCounted={} seconds={}",
                        pause.toMillis(), Duration.between(resumedAt, rebalanced).toMillis(), events.size(), sent,
                        FaultKit.since(testStarted).toSeconds());
            } finally {
                workers.forEach(ProgressStream::close);
                for (CronstreamProcess process : List.of(a, b)) {
                    if (process.alive()) {
                        process.kill();
                    }
                }
            }
        }
    }

    private static CronstreamProcess instance(String name, EmbeddedKafka kafka, Path dir, int port) {
        return new CronstreamProcess(name, FaultKit.instanceEnv(kafka.bootstrapServers(),
                dir.resolve(name).toString(), port, Map.of(
                        // names the instance's consumers, so the test sees who owns what
                        "CRONSTREAM_KAFKA_CLIENT_ID", name,
                        // shorter than the session, as in production (10 s against 45 s): a transaction
                        // open when the JVM froze is aborted by the broker before the group moves on
                        "CRONSTREAM_KAFKA_PRODUCER_TRANSACTION_TIMEOUT_MS", "5000",
                        // a punctuation may take at most a third of the transaction
                        "CRONSTREAM_TICKER_PUNCTUATION_TIME_BUDGET", "PT1S")), Path.of("target"));
    }

    private static long completed(Http api, String run) {
        Http.Answer answer = api.get("/api/v1/runs/" + run);
        return answer.status() == 200 ? answer.body().path("stages").path("work").path("completed").asLong() : -1;
    }

    /** The members of the group that {@code instance} runs; none before the group exists. */
    private static List<MemberDescription> members(Admin admin, String instance) throws Exception {
        try {
            return admin.describeConsumerGroups(List.of("cronstream")).all().get().get("cronstream").members().stream()
                    .filter(m -> m.clientId().startsWith(instance + "-")).toList();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return List.of();
            }
            throw e;
        }
    }

    /** The partitions of the jobs topic (the ticker's tasks) that {@code instance} owns now. */
    private static Set<TopicPartition> jobPartitions(Admin admin, Topics topics, String instance) throws Exception {
        return members(admin, instance).stream()
                .map(MemberDescription::assignment)
                .flatMap(assignment -> assignment.topicPartitions().stream())
                .filter(tp -> tp.topic().equals(topics.jobs()))
                .collect(Collectors.toSet());
    }
}
