package io.cronstream.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.bson.Document;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job's change trail in {@code <collection>_changes} (DESIGN §11): who did what to a job and when, one
 * document per act, read back newest first by {@code GET /api/v1/jobs/{jobId}/changes}. Kept beside the jobs,
 * not in them: the trail grows without bound while a job document rides in every CDC record.
 */
final class ChangeTrail {

    private static final Logger log = LoggerFactory.getLogger(ChangeTrail.class);
    private static final JsonWriterSettings RELAXED = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();
    private static final int MAX_VALUE_CHARS = 2000;
    static final String TRIGGER_FORCED = "trigger-forced";
    private static final ObjectMapper CURSOR = new ObjectMapper();

    private final Optional<MongoJobs> mongo;
    private final Clock clock;

    ChangeTrail(Optional<MongoJobs> mongo, Clock clock) {
        this.mongo = mongo;
        this.clock = clock;
    }

    /**
     * After a job write: best effort. The write stands (the connector carries it) even when its entry cannot be
     * stored, since the document itself still says who wrote it ({@code updatedBy}) and when ({@code updatedAt}).
     */
    void written(String jobId, long version, Access.Principal who, String action, Document before, Document after) {
        Document entry = entry(jobId, version, who, action).append("changes", changes(before, after));
        try {
            mongo.ifPresent(jobs -> jobs.recordChange(entry));
        } catch (ApiException e) {
            log.error("event=change-trail-failed jobId={} version={} action={}", jobId, version, action);
        }
    }

    /**
     * A write Cronstream made itself (an automatic pause), recorded once under {@code id}: the entry is what tells a
     * redelivered cause apart from a new one.
     */
    void writtenOnce(ObjectId id, String jobId, long version, Access.Principal who, String action, Document before,
            Document after) {
        Document entry = entry(jobId, version, who, action).append("changes", changes(before, after));
        mongo.ifPresent(jobs -> jobs.recordChangeOnce(id, entry));
    }

    /**
     * Before a forced start of an overlap-SKIP job that has an active run. Nothing else keeps who overrode the
     * policy (the run's {@code triggeredBy} is whatever the client wrote), so the entry comes first and a
     * trigger whose entry cannot be stored does not start (503). Its id is the run's: a retried request names
     * the same run and finds its entry there already. Without MongoDB there is no trail, only the log line.
     *
     * @param version     the job version the ticker holds, or null
     * @param triggeredBy the name the client gave, kept beside the token's
     */
    void forcedTrigger(String jobId, Long version, Access.Principal who, String runId, String activeRunId,
            String triggeredBy) {
        mongo.ifPresent(jobs -> {
            Document entry = entry(jobId, version, who, TRIGGER_FORCED).append("forced", true).append("runId", runId)
                    .append("activeRunId", activeRunId).append("triggeredBy", triggeredBy).append("changes", List.of());
            try {
                jobs.recordChangeOnce(idOf(TRIGGER_FORCED + ":" + runId), entry);
            } catch (ApiException e) {
                throw ApiException.unavailable("forced trigger not started: its audit entry could not be written to "
                        + jobs.where() + "_changes; try again");
            }
        });
    }

    /**
     * One page of a job's trail, newest first ({@code at}, then the entry's id), without the ids; the cursor names
     * the last entry returned by its time and id.
     */
    ListBody<Document> page(String jobId, Page page) {
        MongoJobs jobs = mongo.orElseThrow(() -> ApiException.disabled(
                "change trail unavailable: no MongoDB configured (set cronstream.mongo.uri)"));
        Date afterAt = null;
        ObjectId afterId = null;
        if (page.after() != null) {
            try {
                afterAt = new Date(page.after().path("at").asLong());
                afterId = new ObjectId(page.after().path("id").asText());
            } catch (IllegalArgumentException notOurs) {
                throw ApiException.badRequest("cursor is not a cursor this API gave out");
            }
        }
        List<Document> found = jobs.changes(jobId, afterAt, afterId, page.limit() + 1);
        List<Document> shown = found.subList(0, Math.min(page.limit(), found.size()));
        String next = null;
        if (found.size() > page.limit()) {
            Document last = shown.get(shown.size() - 1);
            next = Page.cursor(CURSOR.createObjectNode().put("at", last.getDate("at").getTime())
                    .put("id", last.getObjectId("_id").toHexString()));
        }
        List<Document> entries = shown.stream().map(entry -> {
            Document withoutId = new Document(entry);
            withoutId.remove("_id");
            return withoutId;
        }).toList();
        return new ListBody<>(entries, entries.size(), next);
    }

    /**
     * The id of an entry that must be written once: derived from what names it, and an ObjectId like every
     * other entry's, since the trail is read in order of time and then id, and MongoDB orders and compares
     * ids of different types apart.
     */
    static ObjectId idOf(String name) {
        try {
            return new ObjectId(Arrays.copyOf(MessageDigest.getInstance("SHA-256")
                    .digest(name.getBytes(StandardCharsets.UTF_8)), 12));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Whether a write would change anything a person reads (the API's bookkeeping fields aside). */
    static boolean unchanged(Document before, Document after) {
        return changes(before, after).isEmpty();
    }

    private Document entry(String jobId, Long version, Access.Principal who, String action) {
        return new Document("jobId", jobId).append("version", version).append("at", Date.from(clock.instant()))
                .append("by", who.name()).append("role", who.role().lower()).append("action", action);
    }

    /** Top-level fields that differ, old → new; the API's own bookkeeping fields are left out. */
    private static List<Document> changes(Document before, Document after) {
        Set<String> fields = new LinkedHashSet<>(before.keySet());
        fields.addAll(after.keySet());
        List<Document> changes = new ArrayList<>();
        for (String field : fields) {
            if (JobWriteRoutes.API_FIELDS.contains(field) || field.equals("_id")) {
                continue;
            }
            Object old = before.get(field);
            Object now = after.get(field);
            if (!Objects.equals(old, now)) {
                changes.add(new Document("field", field).append("old", bounded(old)).append("new", bounded(now)));
            }
        }
        return changes;
    }

    private static Object bounded(Object value) {
        if (value instanceof Document document) {
            String json = document.toJson(RELAXED);
            return json.length() > MAX_VALUE_CHARS ? json.substring(0, MAX_VALUE_CHARS) + "…" : value;
        }
        return value instanceof String text && text.length() > MAX_VALUE_CHARS
                ? text.substring(0, MAX_VALUE_CHARS) + "…" : value;
    }
}
