package io.cronstream.devstack;

import io.cronstream.connectors.ConnectorDefinition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.utils.Utils;

/**
 * Broker, MongoDB and Connect worker wired together, state under one directory: what
 * {@code ./cronstream dev} runs beside Cronstream. Layout: {@code <stateDir>/kafka},
 * {@code <stateDir>/mongo}, {@code <stateDir>/connect}.
 */
public final class LocalStack implements AutoCloseable {

    /** The topic the Mongo source connector writes, per {@code mongo-scheduled-jobs.json}. */
    public static final String JOBS_TOPIC = "cronstream.jobs";

    /** Ports to listen on; 0 picks a free one. */
    public record Ports(int kafka, int mongo, int connectRest) {
        public static final Ports DEFAULT = new Ports(EmbeddedKafka.DEFAULT_PORT, EmbeddedMongo.DEFAULT_PORT,
                EmbeddedConnect.DEFAULT_REST_PORT);
        public static final Ports ANY_FREE = new Ports(0, 0, 0);
    }

    private final EmbeddedKafka kafka;
    private final EmbeddedMongo mongo;
    private final EmbeddedConnect connect;

    private LocalStack(EmbeddedKafka kafka, EmbeddedMongo mongo, EmbeddedConnect connect) {
        this.kafka = kafka;
        this.mongo = mongo;
        this.connect = connect;
    }

    /**
     * Starts everything and returns once the Mongo source connector streams {@code scheduler.scheduled_jobs}.
     *
     * @param fresh  wipe {@code stateDir} first
     * @param topics created (if missing) before the connector starts; must include {@link #jobsTopic}, or
     *               the broker would auto-create it uncompacted
     */
    public static LocalStack start(Path stateDir, Ports ports, boolean fresh, Collection<NewTopic> topics) {
        if (fresh) {
            try {
                Utils.delete(stateDir.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot wipe " + stateDir, e);
            }
        }
        EmbeddedKafka kafka = EmbeddedKafka.start(ports.kafka(), stateDir.resolve("kafka"), false);
        EmbeddedMongo mongo = null;
        try {
            kafka.createTopics(topics);
            mongo = EmbeddedMongo.persistent(ports.mongo(), stateDir.resolve("mongo"), false);
            EmbeddedConnect connect = EmbeddedConnect.start(kafka.bootstrapServers(), ports.connectRest(),
                    stateDir.resolve("connect"), false,
                    List.of(ConnectorDefinition.mongoScheduledJobs().with("connection.uri", mongo.connectionString())));
            return new LocalStack(kafka, mongo, connect);
        } catch (RuntimeException e) {
            if (mongo != null) {
                mongo.close();
            }
            kafka.close();
            throw e;
        }
    }

    /**
     * {@value #JOBS_TOPIC}, compacted (the latest document per job is all the ticker needs), taking the largest
     * record the connector sends.
     */
    public static NewTopic jobsTopic(int partitions) {
        return new NewTopic(JOBS_TOPIC, partitions, (short) 1).configs(jobsTopicConfig());
    }

    /** The configs of {@value #JOBS_TOPIC}, whatever its name: compacted, records up to the connector's limit. */
    public static Map<String, String> jobsTopicConfig() {
        return Map.of("cleanup.policy", "compact",
                "max.message.bytes", Integer.toString(ConnectorDefinition.mongoScheduledJobs().maxRecordBytes()));
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public EmbeddedMongo mongo() {
        return mongo;
    }

    public EmbeddedConnect connect() {
        return connect;
    }

    /** Stops the worker first, while the server it reads and the broker it writes to are still up. */
    @Override
    public void close() {
        // try-with-resources closes in reverse order, each even if another fails
        try (kafka; mongo; connect) {
            // nothing to do but close
        }
    }
}
