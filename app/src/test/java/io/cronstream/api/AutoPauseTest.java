package io.cronstream.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.cronstream.devstack.EmbeddedMongo;
import io.cronstream.schemas.Alert;
import io.cronstream.schemas.AlertKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@link AutoPause} on the MongoDB emulation the write routes are tested with. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AutoPauseTest {

    private static final Instant AT = Instant.parse("2026-03-01T00:00:00Z");

    private EmbeddedMongo mongo;
    private MongoClient client;
    private MongoJobs jobs;
    private MongoCollection<Document> documents;
    private MongoCollection<Document> trail;
    private AutoPause autoPause;

    @BeforeAll
    void start() {
        mongo = EmbeddedMongo.inMemory(0);
        client = MongoClients.create(mongo.connectionString());
        jobs = MongoJobs.connect(new MongoJobs.Config(mongo.connectionString(), "scheduler", "scheduled_jobs",
                Duration.ofDays(30)));
        documents = client.getDatabase("scheduler").getCollection("scheduled_jobs");
        trail = client.getDatabase("scheduler").getCollection("scheduled_jobs_changes");
        autoPause = new AutoPause(jobs, Clock.systemUTC());
    }

    @AfterAll
    void stop() {
        jobs.close();
        client.close();
        mongo.close();
    }

    private static Alert paused(String jobId, Instant at) {
        return new Alert(AlertKind.PAUSED, jobId, null, null, at, "paused after 2 consecutive failed runs");
    }

    private Document job(String jobId) {
        return documents.find(Filters.eq("_id", jobId)).first();
    }

    private long trailOf(String jobId) {
        return trail.countDocuments(Filters.eq("jobId", jobId));
    }

    @Test
    void pausesOnceAndARedeliveryWritesNothingEvenAfterAResume() {
        documents.insertOne(new Document("_id", "a").append("name", "A").append("version", 7L));

        assertThat(autoPause.apply(paused("a", AT))).isEqualTo(AutoPause.Outcome.PAUSED);
        Document job = job("a");
        assertThat(job.getString("pausedBy")).isEqualTo("cronstream");
        assertThat(job.getString("pauseNote")).isEqualTo("paused after 2 consecutive failed runs");
        assertThat(job.get("version")).isEqualTo(8L);
        assertThat(trailOf("a")).isEqualTo(1);
        Document entry = trail.find(Filters.eq("jobId", "a")).first();
        assertThat(entry.getString("action")).isEqualTo("auto-pause");
        assertThat(entry.get("version")).isEqualTo(8L);

        assertThat(autoPause.apply(paused("a", AT))).isEqualTo(AutoPause.Outcome.ALREADY_PAUSED);
        assertThat(job("a").get("version")).isEqualTo(8L);

        // an operator resumes; the old alert delivered again must not pause the job again
        documents.updateOne(Filters.eq("_id", "a"), new Document("$unset", new Document("pausedBy", "")
                .append("pauseNote", "")).append("$set", new Document("version", 9L)));
        assertThat(autoPause.apply(paused("a", AT))).isEqualTo(AutoPause.Outcome.ALREADY_PAUSED);
        assertThat(job("a").get("version")).isEqualTo(9L);
        assertThat(job("a").get("pausedBy")).isNull();

        // a new pause (later failures) is written
        assertThat(autoPause.apply(paused("a", AT.plusSeconds(3600)))).isEqualTo(AutoPause.Outcome.PAUSED);
        assertThat(job("a").get("version")).isEqualTo(10L);
        assertThat(trailOf("a")).isEqualTo(2);
    }

    @Test
    void aJobPausedByCronstreamAlreadyIsLeftAsItIs() {
        documents.insertOne(new Document("_id", "b").append("name", "B").append("version", 2L)
                .append("pausedBy", "cronstream").append("pauseNote", "earlier"));
        assertThat(autoPause.apply(paused("b", AT))).isEqualTo(AutoPause.Outcome.ALREADY_PAUSED);
        assertThat(job("b").get("version")).isEqualTo(2L);
        assertThat(trailOf("b")).isZero();
    }

    @Test
    void otherAlertsAndUnknownJobsWriteNothing() {
        assertThat(autoPause.apply(new Alert(AlertKind.FAILED, "c", "c@1", 1, AT, "x")))
                .isEqualTo(AutoPause.Outcome.NOT_A_PAUSE);
        assertThat(autoPause.apply(paused("nowhere", AT))).isEqualTo(AutoPause.Outcome.NO_SUCH_JOB);
        assertThat(trailOf("nowhere")).isZero();
    }
}
