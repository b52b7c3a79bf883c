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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
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
 * answer; the list of jobs complete with 200 or 503 and Retry-After, never a short list) and every
 * key and the list with 200 from the takeover on, without flapping back.
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
    /** Rounds of questions after the first round answered all 200, each of which must be all 200 too. */
    private static final int ROUNDS_AFTER_TAKEOVER = 20;

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

                // Ask the survivor for every key and for the list, round after round, from the kill until
                // ROUNDS_AFTER_TAKEOVER rounds after the first round that was all 200. Every answer is
                // checked: a key is 200 with that job or 503 with Retry-After; the list is 200 with exactly
                // every job (never a short list) or 503 with Retry-After. After the first all-200 round,
                // every answer is 200: the takeover does not flap back.
                List<List<Integer>> rounds = Collections.synchronizedList(new ArrayList<>());
                List<String> wrong = Collections.synchronizedList(new ArrayList<>());
                AtomicInteger firstAll200 = new AtomicInteger(-1);
                Thread asker = new Thread(() -> {
                    while (firstAll200.get() < 0 || rounds.size() < firstAll200.get() + 1 + ROUNDS_AFTER_TAKEOVER) {
                        List<Integer> round = new ArrayList<>();
                        for (String job : JOBS) {
                            ask(apiA, "/api/v1/jobs/" + job, round, wrong, rounds.size(), answer -> answer.body() != null
                                    && job.equals(answer.body().path("jobId").asText()));
                        }
                        ask(apiA, "/api/v1/jobs", round, wrong, rounds.size(), InstanceFailoverTest::complete);
                        if (firstAll200.get() < 0 && round.stream().allMatch(status -> status == 200)) {
                            firstAll200.set(rounds.size());
                        }
                        rounds.add(round);
                    }
                }, "failover-asker");
                asker.setDaemon(true);

                b.kill();
                Instant killedAt = Instant.now();
                asker.start();
                // The takeover is done when every job fired a time after the kill.
                await().atMost(PATIENCE).until(() -> JOBS.stream().allMatch(job -> due.forJob(job).stream()
                        .anyMatch(d -> d.scheduledFor().isAfter(killedAt.plusSeconds(2)))));
                Instant takenOver = Instant.now();
                asker.join(PATIENCE.toMillis());
                assertThat(asker.isAlive()).as("the API answered every key and the list with 200 after the takeover")
                        .isFalse();

                List<DueEvent> events = due.poll();
                Map<String, Duration> firstFireAfterKill = new TreeMap<>();
                for (String job : JOBS) {
                    FaultKit.assertEverySecondOnce(events, job, jobsSent.plusSeconds(30), killedAt.plusSeconds(2));
                    events.stream().filter(d -> d.jobId().equals(job) && d.firedAt().isAfter(killedAt))
                            .map(DueEvent::firedAt).min(Instant::compareTo)
                            .ifPresent(t -> firstFireAfterKill.put(job, Duration.between(killedAt, t)));
                }
                Duration takeover = Collections.max(firstFireAfterKill.values());
                LOG.info("event=failover takeoverMs={} firstFireAfterKillMs={} rounds={} byStatus={}",
                        takeover.toMillis(), firstFireAfterKill.entrySet().stream().collect(Collectors.toMap(
                                Map.Entry::getKey, e -> e.getValue().toMillis(), (x, y) -> x, TreeMap::new)),
                        rounds.size(), rounds.stream().flatMap(List::stream).collect(Collectors.groupingBy(s -> s,
                                TreeMap::new, Collectors.counting())));
                assertThat(takeover).as("time until the survivor fired the dead instance's jobs")
                        .isLessThanOrEqualTo(SESSION_TIMEOUT.plus(PUNCTUATION).plus(REBALANCE));
                assertThat(wrong).as("answers that were neither right nor 503 + Retry-After").isEmpty();
                assertThat(firstAll200.get()).as("first round answered all 200").isNotNegative();
                List<List<Integer>> afterTakeover = rounds.subList(firstAll200.get(), rounds.size());
                assertThat(afterTakeover).as("rounds from the first all-200 one on")
                        .hasSize(ROUNDS_AFTER_TAKEOVER + 1)
                        .allSatisfy(round -> assertThat(round).containsOnly(200));
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

    /**
     * One question: its status goes into {@code round}; an answer that is neither 200 and {@code right}
     * nor 503 with Retry-After (or no answer at all) goes into {@code wrong}.
     */
    private static void ask(Http api, String path, List<Integer> round, List<String> wrong, int roundIndex,
            Predicate<Http.Answer> right) {
        try {
            Http.Answer answer = api.get(path);
            round.add(answer.status());
            if (!(answer.status() == 200 && right.test(answer) || unavailable(answer))) {
                wrong.add("round " + roundIndex + ": " + path + " → " + answer.status() + " "
                        + (answer.status() == 200 && answer.body() != null ? "count " + answer.body().path("count") : answer.text()));
            }
        } catch (RuntimeException noAnswer) {
            round.add(-1);
            wrong.add("round " + roundIndex + ": " + path + " → " + noAnswer);
        }
    }

    private static boolean unavailable(Http.Answer answer) {
        return answer.status() == 503 && answer.header("Retry-After") != null;
    }

    /** A list of jobs with each job exactly once and the count saying so. */
    private static boolean complete(Http.Answer list) {
        if (list.body() == null) {
            return false;
        }
        List<String> ids = new ArrayList<>();
        list.body().path("items").forEach(job -> ids.add(job.path("jobId").asText()));
        return list.body().path("count").asInt() == JOBS.size() && ids.size() == JOBS.size()
                && Set.copyOf(ids).equals(Set.copyOf(JOBS));
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
