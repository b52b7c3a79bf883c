package io.cronstream.local;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import java.util.List;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --demo}: a few example jobs in MongoDB (written through the real driver, so they reach
 * Cronstream by CDC like any other) and a simulated worker, so the dashboard shows something alive.
 */
final class Demo implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Demo.class);

    static final List<Document> JOBS = List.of(
            new Document("_id", "demo-library-scan").append("name", "Library Scan - Photos")
                    .append("jobType", "LibraryScan").append("cronExpression", "*/30 * * * * *")
                    .append("isEnabled", true).append("parameters", new Document("libraryId", "photos")),
            new Document("_id", "demo-nightly-cleanup").append("name", "Nightly cleanup")
                    .append("jobType", "Cleanup").append("cronExpression", "30 2 * * *")
                    .append("timeZone", "Europe/Berlin").append("isEnabled", true),
            new Document("_id", "demo-cache-warmup").append("name", "Cache warm-up")
                    .append("jobType", "CacheWarmup").append("scheduleType", "Interval").append("interval", "PT2M")
                    .append("isEnabled", true),
            new Document("_id", "demo-flaky-export").append("name", "Flaky export")
                    .append("jobType", DemoWorker.STALLING_JOB_TYPE).append("cronExpression", "0 * * * * *")
                    .append("stuckAfter", "PT20S").append("overlapPolicy", "SKIP").append("failAfter", "PT3M")
                    .append("isEnabled", true),
            new Document("_id", "demo-reindex").append("name", "Reindex (manual)").append("jobType", "Reindex")
                    .append("scheduleType", "Manual"),
            new Document("_id", "demo-broken").append("name", "Broken schedule").append("jobType", "Report")
                    .append("cronExpression", "* * * *").append("isEnabled", true));

    private final DemoWorker worker;

    private Demo(DemoWorker worker) {
        this.worker = worker;
    }

    static Demo start(DevStack stack) {
        try (MongoClient client = MongoClients.create(stack.infrastructure().mongo().connectionString())) {
            MongoCollection<Document> jobs = client.getDatabase("scheduler").getCollection("scheduled_jobs");
            for (Document job : JOBS) {
                if (jobs.find(new Document("_id", job.get("_id"))).first() == null) {
                    jobs.insertOne(job);
                    LOG.info("event=demo-job-inserted jobId={}", job.get("_id"));
                }
            }
        }
        return new Demo(DemoWorker.start(stack.infrastructure().kafka().bootstrapServers(), stack.app().topics()));
    }

    @Override
    public void close() {
        worker.close();
    }
}
