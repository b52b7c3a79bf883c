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
        Level level = event == Event.INVALID ? Level.WARN : Level.INFO;
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

    static void removed(String jobId, String name) {
        LOG.atInfo().addKeyValue("event", "removed").addKeyValue("jobId", jobId).addKeyValue("name", name)
                .log("event=removed jobId={} name=\"{}\"", jobId, text(name));
    }

    static void fired(JobDefinition job, String runId, Instant scheduledFor, String trigger, Instant next) {
        LOG.atInfo().addKeyValue("event", "fired").addKeyValue("jobId", job.jobId()).addKeyValue("runId", runId)
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

    /** Quoted text from a job document: one line, whatever it contains. */
    private static String text(String value) {
        return value == null ? null : Printable.escape(value).replace("\"", "\\\"");
    }
}
