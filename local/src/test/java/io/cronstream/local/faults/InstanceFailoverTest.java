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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two Cronstream JVMs with a standby replica of every task ({@code num.standby.replicas=1}), distinct
 * state directories and API ports; one is killed with SIGKILL. The survivor takes over the dead one's
 * fires once the group notices (session timeout) and rebalances, and its first punctuation catches
 * up every missed second: no fire doubled or lost. Its API answers every request meanwhile (the keys
 * it owns with 200; the dead one's with 503 and Retry-After until they are its own, never a wrong
 * answer) and every key with 200 after the takeover.
 */
class InstanceFailoverTest {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceFailoverTest.class);
    private static final int PARTITIONS = 4;
    private static final List<String> JOBS = IntStream.range(0, 8).mapToObj(i -> "failover-" + i).toList();
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);
    private static final Duration PUNCTUATION = Duration.ofMillis(200);
    /** Noticing the expired session, one rebalance round trip (heartbeat 1 s) and the standby taking over. */
    private static final Duration REBALANCE = Duration.ofSeconds(4);
    private static final Duration PATIENCE = Duration.ofMinutes(2);

    @Test
    void theSurvivorTakesOverEveryFireWithoutDoublingOrLosingOneAndKeepsAnswering() throws Exception {
        Path dir = Files.createTempDirectory("cronstream-failover");
        Topics topics = Topics.defaults();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(0, dir.resolve("kafka"), true)) {
            kafka.createTopics(CronstreamTopics.all(topics, PARTITIONS));
            int portA = FaultKit.freePort();
            int portB = FaultKit.freePort();
            CronstreamProcess a = instance("instance-a", kafka, dir, portA);
            CronstreamProcess b = instance("instance-b", kafka, dir, portB);
            Http apiA = new Http("http://localhost:" + portA);
            Http apiB = new Http("http://localhost:" + portB);
            try (KafkaProducer<String, byte[]> producer = FaultKit.producer(kafka.bootstrapServers());
                    DueEvents due = new DueEvents(kafka.bootstrapServers(), topics.jobDue());
                    Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                Instant jobsSent = Instant.now();
                for (String job : JOBS) {
                    FaultKit.send(producer, topics.jobs(), job, FaultKit.EVERY_SECOND.formatted(job));
                }
                producer.flush();
                a.start();
                b.start();
                await().atMost(PATIENCE).until(() -> ready(apiA) && ready(apiB)
                        && jobPartitions(admin, topics, "instance-a").size() == PARTITIONS / 2
                        && jobPartitions(admin, topics, "instance-b").size() == PARTITIONS / 2);
                await().atMost(PATIENCE).until(() -> JOBS.stream().allMatch(job -> due.forJob(job).size() >= 3));
                for (String job : JOBS) {
                    assertThat(apiA.get("/api/v1/jobs/" + job).status()).as("%s from a", job).isEqualTo(200);
                    assertThat(apiB.get("/api/v1/jobs/" + job).status()).as("%s from b", job).isEqualTo(200);
                }
                Set<TopicPartition> victims = jobPartitions(admin, topics, "instance-b");
                LOG.info("event=owners a={} b={}", jobPartitions(admin, topics, "instance-a"), victims);

                // Ask the survivor for every key, over and over, from the kill until the takeover is done.
                List<Integer> answers = Collections.synchronizedList(new ArrayList<>());
                List<String> wrong = Collections.synchronizedList(new ArrayList<>());
                AtomicBoolean asking = new AtomicBoolean(true);
                Thread asker = new Thread(() -> {
                    while (asking.get()) {
                        for (String job : JOBS) {
                            Http.Answer answer = apiA.get("/api/v1/jobs/" + job);
                            answers.add(answer.status());
                            boolean right = answer.status() == 200 && job.equals(answer.body().path("jobId").asText())
                                    || answer.status() == 503 && answer.header("Retry-After") != null;
                            if (!right) {
                                wrong.add(job + " → " + answer.status() + " " + answer.text());
                            }
                        }
                    }
                }, "failover-asker");

                b.kill();
                Instant killedAt = Instant.now();
                asker.start();
                // The takeover is done when every job fired a time after the kill.
                await().atMost(PATIENCE).until(() -> JOBS.stream().allMatch(job -> due.forJob(job).stream()
                        .anyMatch(d -> d.scheduledFor().isAfter(killedAt.plusSeconds(2)))));
                Instant takenOver = Instant.now();
                await().atMost(PATIENCE).until(() -> JOBS.stream()
                        .allMatch(job -> apiA.get("/api/v1/jobs/" + job).status() == 200));
                asking.set(false);
                asker.join();

                List<DueEvent> events = due.poll();
                Map<String, Duration> firstFireAfterKill = new TreeMap<>();
                for (String job : JOBS) {
                    FaultKit.assertEverySecondOnce(events, job, jobsSent.plusSeconds(30), killedAt.plusSeconds(2));
                    events.stream().filter(d -> d.jobId().equals(job) && d.firedAt().isAfter(killedAt))
                            .map(DueEvent::firedAt).min(Instant::compareTo)
                            .ifPresent(t -> firstFireAfterKill.put(job, Duration.between(killedAt, t)));
                }
                Duration takeover = Collections.max(firstFireAfterKill.values());
                LOG.info("event=failover takeoverMs={} firstFireAfterKillMs={} answers={} byStatus={}",
                        takeover.toMillis(), firstFireAfterKill.entrySet().stream().collect(Collectors.toMap(
                                Map.Entry::getKey, e -> e.getValue().toMillis(), (x, y) -> x, TreeMap::new)),
                        answers.size(), answers.stream().collect(Collectors.groupingBy(s -> s, TreeMap::new,
                                Collectors.counting())));
                assertThat(takeover).as("time until the survivor fired the dead instance's jobs")
                        .isLessThanOrEqualTo(SESSION_TIMEOUT.plus(PUNCTUATION).plus(REBALANCE));
                assertThat(wrong).as("answers that were neither right nor 503 + Retry-After").isEmpty();
                assertThat(answers).contains(200);
                assertThat(apiA.get("/api/v1/jobs").body().path("count").asInt()).isEqualTo(JOBS.size());
                assertThat(Duration.between(killedAt, takenOver)).isLessThan(PATIENCE);
            } finally {
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
                        "CRONSTREAM_KAFKA_NUM_STANDBY_REPLICAS", "1",
                        // names the instance's consumers, so the test sees who owns what
                        "CRONSTREAM_KAFKA_CLIENT_ID", name)), Path.of("target"));
    }

    private static boolean ready(Http api) {
        try {
            return api.get("/ready").status() == 200;
        } catch (RuntimeException notListeningYet) {
            return false;
        }
    }

    /** The partitions of the jobs topic (the ticker's tasks) that {@code instance} owns now. */
    private static Set<TopicPartition> jobPartitions(Admin admin, Topics topics, String instance) throws Exception {
        return admin.describeConsumerGroups(List.of("cronstream")).all().get().get("cronstream").members().stream()
                .filter(m -> m.clientId().startsWith(instance + "-"))
                .map(MemberDescription::assignment)
                .flatMap(assignment -> assignment.topicPartitions().stream())
                .filter(tp -> tp.topic().equals(topics.jobs()))
                .collect(Collectors.toSet());
    }
}
