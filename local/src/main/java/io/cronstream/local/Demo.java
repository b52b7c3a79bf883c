package io.cronstream.local;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --demo}: a few example jobs in MongoDB (written through the real driver, so they reach
 * Cronstream by CDC like any other), an image library with the real watcher and LibraryScan worker,
 * and a simulated worker for the other job types, so the dashboard shows something alive.
 */
final class Demo implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Demo.class);

    static final List<Document> JOBS = List.of(
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
    private final DemoLibrary library;

    private Demo(DemoWorker worker, DemoLibrary library) {
        this.worker = worker;
        this.library = library;
    }

    static Demo start(DevStack stack, Path stateDir) {
        String bootstrap = stack.infrastructure().kafka().bootstrapServers();
        DemoLibrary library = DemoLibrary.start(stateDir.resolve("demo"), bootstrap, stack.app().topics());
        List<Document> jobs = new ArrayList<>(JOBS);
        // The scan is incremental: after the first one, a scan only processes what the watcher saw change.
        jobs.add(new Document("_id", "demo-library-scan").append("name", "Library Scan - Photos")
                .append("jobType", "LibraryScan").append("cronExpression", "0 */2 * * * *").append("isEnabled", true)
                .append("parameters", new Document("libraryId", DemoLibrary.LIBRARY_ID)
                        .append("path", library.folder().toAbsolutePath().toString())));
        try (MongoClient client = MongoClients.create(stack.infrastructure().mongo().connectionString())) {
            MongoCollection<Document> collection = client.getDatabase("scheduler").getCollection("scheduled_jobs");
            for (Document job : jobs) {
                if (collection.find(new Document("_id", job.get("_id"))).first() == null) {
                    collection.insertOne(job);
                    LOG.info("event=demo-job-inserted jobId={}", job.get("_id"));
                }
            }
        }
        return new Demo(DemoWorker.start(bootstrap, stack.app().topics()), library);
    }

    @Override
    public void close() {
        try (library) {
            worker.close();
        }
    }
}
