package io.cronstream.local.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.cronstream.schemas.DueEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** What the fault tests share: ports, producers, the settings of a Cronstream child JVM, and the fire-time check. */
final class FaultKit {

    /** A job that fires every second and catches every missed second up, within five minutes. */
    static final String EVERY_SECOND = "{\"name\": \"%s\", \"cronExpression\": \"* * * * * *\", "
            + "\"misfirePolicy\": \"FIRE_ALL\", \"catchupWindow\": \"PT5M\"}";

    private FaultKit() {
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static KafkaProducer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new ByteArraySerializer());
    }

    static void send(KafkaProducer<String, byte[]> producer, String topic, String key, String value) {
        producer.send(new ProducerRecord<>(topic, key, value == null ? null : value.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The environment of a Cronstream JVM for fault tests: fires checked every 200 ms, a 6 s session
     * (the broker's minimum), dev-mode API on {@code apiPort}. {@code extra} adds or overrides.
     */
    static Map<String, String> instanceEnv(String bootstrap, String stateDir, int apiPort, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of(
                "CRONSTREAM_BOOTSTRAP_SERVERS", bootstrap,
                "CRONSTREAM_STATE_DIR", stateDir,
                "CRONSTREAM_REPLICATION_FACTOR", "1",
                "CRONSTREAM_API_PORT", Integer.toString(apiPort),
                "CRONSTREAM_API_HOST", "127.0.0.1",
                "CRONSTREAM_API_ADVERTISED_HOST", "localhost",
                "CRONSTREAM_API_MODE", "dev",
                "CRONSTREAM_TICKER_PUNCTUATE_INTERVAL", "PT0.2S",
                "CRONSTREAM_KAFKA_SESSION_TIMEOUT_MS", "6000",
                "CRONSTREAM_KAFKA_HEARTBEAT_INTERVAL_MS", "1000"));
        env.putAll(extra);
        return env;
    }

    /** Fire times of {@code jobId}, sorted. */
    static List<Instant> fireTimes(List<DueEvent> events, String jobId) {
        return events.stream().filter(d -> d.jobId().equals(jobId)).map(DueEvent::scheduledFor).sorted().toList();
    }

    /**
     * The exactness check of an every-second job: no run twice, and every second from the first fire
     * (at most {@code firstBy}) to the last (at least {@code lastFrom}) fired, once.
     */
    static void assertEverySecondOnce(List<DueEvent> events, String jobId, Instant firstBy, Instant lastFrom) {
        List<DueEvent> ofJob = events.stream().filter(d -> d.jobId().equals(jobId)).toList();
        assertThat(ofJob).as("due events of %s", jobId).extracting(DueEvent::runId).doesNotHaveDuplicates();
        List<Instant> times = fireTimes(events, jobId);
        assertThat(times).as("fire times of %s", jobId).isNotEmpty();
        Instant first = times.get(0);
        Instant last = times.get(times.size() - 1);
        assertThat(first).as("first fire of %s", jobId).isBeforeOrEqualTo(firstBy);
        assertThat(last).as("last fire of %s", jobId).isAfterOrEqualTo(lastFrom);
        List<Instant> expected = new ArrayList<>();
        for (Instant t = first; !t.isAfter(last); t = t.plusSeconds(1)) {
            expected.add(t);
        }
        List<Instant> missing = new ArrayList<>(expected);
        missing.removeAll(times);
        assertThat(missing).as("seconds %s never fired", jobId).isEmpty();
        assertThat(times).as("fire times of %s", jobId).containsExactlyElementsOf(expected);
    }

    static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }
}
