package io.cronstream.ticker;

import io.cronstream.schemas.Printable;
import io.cronstream.ticker.job.JobDefinition;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One log line per thing that happens to a job, worded the same way everywhere:
 * {@code event=<what> jobId=.. name=".." schedule=".." next=..}, with the same fields attached as
 * SLF4J key-values for structured appenders.
 */
final class JobLog {

    private static final Logger LOG = LoggerFactory.getLogger("io.cronstream.ticker.jobs");

    /** What a definition change did to a job (removals, fires and skips have their own lines below). */
    enum Event {
        REGISTERED, RESCHEDULED, ENABLED, DISABLED, UPDATED, INVALID
    }

    private JobLog() {
    }

    static void change(Event event, JobDefinition job, Instant next) {
        // A registration is a DEBUG line (a first load brings a million of them; the punctuation's INFO summary
        // counts them); an edit, a disable, an invalid definition stay one line each at INFO or WARN.
        Level level = event == Event.INVALID ? Level.WARN : event == Event.REGISTERED ? Level.DEBUG : Level.INFO;
        if (!LOG.isEnabledForLevel(level)) {
            return;
        }
        LoggingEventBuilder line = LOG.atLevel(level)
                .addKeyValue("event", event.name().toLowerCase(java.util.Locale.ROOT))
                .addKeyValue("jobId", job.jobId())
                .addKeyValue("name", job.name());
        if (event == Event.INVALID) {
            line.addKeyValue("error", job.error())
                    .log("event=invalid jobId={} name=\"{}\" error=\"{}\"", job.jobId(), text(job.name()),
                            text(job.error()));
            return;
        }
        String schedule = job.description() != null ? job.description() : String.valueOf(job.scheduleType());
        line.addKeyValue("schedule", schedule).addKeyValue("enabled", job.enabled()).addKeyValue("next", next)
                .log("event={} jobId={} name=\"{}\" schedule=\"{}\" enabled={} next={}",
                        event.name().toLowerCase(java.util.Locale.ROOT), job.jobId(), text(job.name()), text(schedule),
                        job.enabled(), next == null ? "none" : next);
    }

    /**
     * One INFO line per punctuation that did something: the fires it emitted, the jobs it handled, how long it
     * took, whether it was cut short (the rest fires on the next one), and the jobs registered since the last one.
     */
    static void punctuation(int fires, int jobs, int due, long tookMicros, boolean cut, long registered) {
        if (fires == 0 && jobs == 0 && !cut && registered == 0 || !LOG.isInfoEnabled()) {
            return;
        }
        LOG.atInfo().addKeyValue("event", "punctuation").addKeyValue("fires", fires).addKeyValue("jobs", jobs)
                .addKeyValue("tookMs", tookMicros / 1000.0).addKeyValue("cut", cut)
                .addKeyValue("registered", registered)
                .log("event=punctuation fires={} jobs={} due={} tookMs={} cut={} registered={}", fires, jobs, due,
                        String.format(java.util.Locale.ROOT, "%.1f", tookMicros / 1000.0), cut, registered);
    }

    static void removed(String jobId, String name) {
        LOG.atInfo().addKeyValue("event", "removed").addKeyValue("jobId", jobId).addKeyValue("name", name)
                .log("event=removed jobId={} name=\"{}\"", jobId, text(name));
    }

    /** Each fire at DEBUG: at thousands a second an INFO line each would cost more than the fire. */
    static void fired(JobDefinition job, String runId, Instant scheduledFor, String trigger, Instant next) {
        if (!LOG.isDebugEnabled()) {
            return;
        }
        LOG.atDebug().addKeyValue("event", "fired").addKeyValue("jobId", job.jobId()).addKeyValue("runId", runId)
                .addKeyValue("scheduledFor", scheduledFor).addKeyValue("trigger", trigger).addKeyValue("next", next)
                .log("event=fired jobId={} name=\"{}\" runId={} scheduledFor={} trigger={} next={}", job.jobId(),
                        text(job.name()), runId, scheduledFor, trigger, next == null ? "none" : next);
    }

    static void skipped(JobDefinition job, long count, String reason, Instant next) {
        LOG.atInfo().addKeyValue("event", "skipped").addKeyValue("jobId", job.jobId()).addKeyValue("count", count)
                .addKeyValue("reason", reason).addKeyValue("next", next)
                .log("event=skipped jobId={} name=\"{}\" count={} reason=\"{}\" next={}", job.jobId(),
                        text(job.name()), count, text(reason), next == null ? "none" : next);
    }

    static void parked(String jobId, String reason) {
        LOG.atError().addKeyValue("event", "parked").addKeyValue("jobId", jobId).addKeyValue("error", reason)
                .log("event=parked jobId={} error=\"{}\"", jobId, text(reason));
    }

    /** A repair the reconciliation wrote that came too late: the job had another record since ({@link RepairGate}). */
    static void repairStale(String jobId, long expectedPosition, long position, Instant readAt) {
        LOG.atInfo().addKeyValue("event", "repair-stale").addKeyValue("jobId", jobId)
                .addKeyValue("expectedPosition", expectedPosition).addKeyValue("position", position)
                .addKeyValue("readAt", readAt)
                .log("event=repair-stale jobId=\"{}\" expectedPosition={} position={} readAt={}", text(jobId),
                        expectedPosition, position, readAt);
    }

    /** Quoted text from a job document: one line, whatever it contains. */
    private static String text(String value) {
        return value == null ? null : Printable.escape(value).replace("\"", "\\\"");
    }
}
