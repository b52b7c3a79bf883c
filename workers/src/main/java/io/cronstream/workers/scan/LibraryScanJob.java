package io.cronstream.workers.scan;

import io.cronstream.workers.files.StateFile;
import io.cronstream.schemas.DueEvent;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
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
    private final RunCancels cancels;

    LibraryScanJob(RunEvents events, OutputLayout layout, DerivedFiles derived, Heartbeat heartbeat, Clock clock) {
        this(events, layout, derived, heartbeat, clock, new RunCancels(clock));
    }

    LibraryScanJob(RunEvents events, OutputLayout layout, DerivedFiles derived, Heartbeat heartbeat, Clock clock,
            RunCancels cancels) {
        this.events = events;
        this.layout = layout;
        this.derived = derived;
        this.heartbeat = heartbeat;
        this.clock = clock;
        this.cancels = cancels;
    }

    @Override
    public boolean handles(DueEvent due) {
        return JOB_TYPE.equalsIgnoreCase(due.jobType());
    }

    @Override
    public void handle(DueEvent due) throws InterruptedException {
        ProgressReporter reporter = ProgressReporter.forRun(events, due, clock);
        long started = System.nanoTime();
        Optional<String> cancelled = cancels.reasonFor(due.runId());
        if (cancelled.isPresent()) {
            // the CANCEL overtook the due event: the run is not started at all
            fail(due, reporter, new RunCancelledException(cancelled.get()));
            return;
        }
        try {
            ScanRequest request = ScanRequest.from(due.payload());
            new ScanRun(due, request, events, reporter, heartbeat, derived,
                    new StateFile<>(layout.state(request.libraryId()), ScanState.class), clock, cancels).execute();
            LOG.info("event=scan-completed runId={} libraryId={} tookMs={}", due.runId(), request.libraryId(),
                    (System.nanoTime() - started) / 1_000_000);
        } catch (KafkaException e) {
            throw e;
        } catch (RunCancelledException e) {
            fail(due, reporter, e);
        } catch (IOException | RuntimeException e) {
            LOG.warn("event=scan-failed runId={} reason=\"{}\"", due.runId(), Failures.reason(e));
            reporter.runFailed(Failures.reason(e));
            reporter.flush();
        }
    }

    private static void fail(DueEvent due, ProgressReporter reporter, RunCancelledException e) {
        LOG.info("event=scan-cancelled runId={} reason=\"{}\"", due.runId(), e.getMessage());
        reporter.runFailed(e.error());
        reporter.flush();
    }
}
