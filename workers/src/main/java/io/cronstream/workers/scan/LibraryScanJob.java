package io.cronstream.workers.scan;

import io.cronstream.workers.files.StateFile;
import io.cronstream.schemas.DueEvent;
import java.io.IOException;
import java.time.Clock;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs due {@code LibraryScan} jobs, one at a time, so two scans of a library never overlap in this worker. */
public final class LibraryScanJob implements DueHandler {

    public static final String JOB_TYPE = "LibraryScan";

    private static final Logger LOG = LoggerFactory.getLogger(LibraryScanJob.class);

    private final RunEvents events;
    private final OutputLayout layout;
    private final DerivedFiles derived;
    private final Heartbeat heartbeat;
    private final Clock clock;

    LibraryScanJob(RunEvents events, OutputLayout layout, DerivedFiles derived, Heartbeat heartbeat, Clock clock) {
        this.events = events;
        this.layout = layout;
        this.derived = derived;
        this.heartbeat = heartbeat;
        this.clock = clock;
    }

    @Override
    public boolean handles(DueEvent due) {
        return JOB_TYPE.equalsIgnoreCase(due.jobType());
    }

    @Override
    public void handle(DueEvent due) throws InterruptedException {
        ProgressReporter reporter = ProgressReporter.forRun(events, due, clock);
        long started = System.nanoTime();
        try {
            ScanRequest request = ScanRequest.from(due.payload());
            new ScanRun(due, request, events, reporter, heartbeat, derived,
                    new StateFile<>(layout.state(request.libraryId()), ScanState.class), clock).execute();
            LOG.info("event=scan-completed runId={} libraryId={} tookMs={}", due.runId(), request.libraryId(),
                    (System.nanoTime() - started) / 1_000_000);
        } catch (KafkaException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            LOG.warn("event=scan-failed runId={} reason=\"{}\"", due.runId(), Failures.reason(e));
            reporter.runFailed(Failures.reason(e));
            reporter.flush();
        }
    }
}
