package io.cronstream.api;

import io.cronstream.schemas.Alert;
import io.cronstream.schemas.AlertKind;
import java.time.Clock;
import java.util.Date;
import java.util.Optional;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a pause the ticker made itself ({@code pauseOnFailure}, DESIGN §12) into the job's MongoDB document, the one
 * source of truth (§11): {@code pausedBy: cronstream}, {@code pauseNote} = the PAUSED alert's message, version + 1,
 * and an entry in the change trail, exactly as the pause route writes an operator's pause. Without it, the next edit
 * of the job in MongoDB would carry a definition without the pause back to the ticker.
 *
 * <p>Idempotent: the trail entry's id is derived from the alert (job and time), so a redelivered alert finds its entry
 * and writes nothing, and a job already paused by Cronstream is left as it is.
 */
public final class AutoPause {

    /** Who the document and the trail say paused the job. */
    public static final String BY = "cronstream";
    static final String ACTION = "auto-pause";
    private static final int MAX_NOTE = 1000;
    private static final Access.Principal CRONSTREAM = new Access.Principal(BY, Role.OPERATOR);
    private static final Logger log = LoggerFactory.getLogger(AutoPause.class);

    /** What {@link #apply} did. */
    public enum Outcome {
        /** Not a PAUSED alert. */
        NOT_A_PAUSE,
        /** The job is not in MongoDB (deleted meanwhile, or defined elsewhere). */
        NO_SUCH_JOB,
        /** This alert was written before, or the job is paused by Cronstream already. */
        ALREADY_PAUSED,
        PAUSED
    }

    private final MongoJobs mongo;
    private final ChangeTrail trail;
    private final Clock clock;

    public AutoPause(MongoJobs mongo, Clock clock) {
        this.mongo = mongo;
        this.trail = new ChangeTrail(Optional.of(mongo), clock);
        this.clock = clock;
    }

    /**
     * Writes the pause an alert reports; throws {@link ApiException} (503) while MongoDB cannot be reached or the
     * job keeps changing under the write, so the caller retries.
     */
    public Outcome apply(Alert alert) {
        if (alert.kind() != AlertKind.PAUSED) {
            return Outcome.NOT_A_PAUSE;
        }
        String jobId = alert.jobId();
        ObjectId entryId = ChangeTrail.idOf(ACTION + ":" + jobId + ":" + alert.at().toEpochMilli());
        if (mongo.hasChange(entryId)) {
            return Outcome.ALREADY_PAUSED;
        }
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<Document> found = mongo.find(jobId);
            if (found.isEmpty()) {
                log.warn("event=auto-pause-skipped jobId={} reason=not-in-mongodb", Params.shorten(jobId));
                return Outcome.NO_SUCH_JOB;
            }
            Document current = found.get();
            if (BY.equals(current.get("pausedBy")) && current.get("pausedUntil") == null) {
                return Outcome.ALREADY_PAUSED;
            }
            Long version = current.get("version") instanceof Number n ? n.longValue() : null;
            long nextVersion = (version == null ? 0 : version) + 1;
            Document next = new Document(current);
            next.put("pauseNote", note(alert.message()));
            next.put("pausedBy", BY);
            next.remove("pausedUntil");
            JobWriteRoutes.API_FIELDS.forEach(next::remove);
            next.put("version", nextVersion);
            next.put("updatedBy", BY);
            next.put("updatedAt", Date.from(clock.instant()));
            if (mongo.replace(jobId, version, next)) {
                trail.writtenOnce(entryId, jobId, nextVersion, CRONSTREAM, ACTION, current, next);
                log.info("event=job-auto-paused jobId={} version={}", Params.shorten(jobId), nextVersion);
                return Outcome.PAUSED;
            }
        }
        throw ApiException.conflict("job '" + Params.shorten(jobId) + "' kept changing during the automatic pause");
    }

    private static String note(String message) {
        return message.length() > MAX_NOTE ? message.substring(0, MAX_NOTE - 1) + "…" : message;
    }
}
