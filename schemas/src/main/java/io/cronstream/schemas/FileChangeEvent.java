package io.cronstream.schemas;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Instant;

/**
 * A file change in a watched library on {@code cronstream.file-changes} (key: libraryId). When it
 * names a {@code runId}, the work it implies is added to that run (DESIGN §6), once per {@code eventId}.
 *
 * <p>With {@code processedUpTo} it is instead a processed report (seed 001's {@code Processed}): a run
 * (optionally named by {@code runId}) processed every change of the library detected up to that instant,
 * so those leave the pending change set; a report names no path, change or oldPath.
 *
 * @param eventId what makes a redelivery recognisable; absent, {@link #workId()} derives one
 */
public record FileChangeEvent(
        String libraryId,
        String path,
        ChangeType change,
        String oldPath,
        String collectionId,
        String runId,
        @JsonDeserialize(using = WholeNumberDeserializer.class) Long size,
        String hash,
        @JsonDeserialize(using = IsoInstantDeserializer.class) Instant detectedAt,
        String eventId,
        @JsonDeserialize(using = IsoInstantDeserializer.class) Instant processedUpTo) {

    public static final int MAX_ID = 200;
    public static final int MAX_PATH = 4096;
    public static final int MAX_HASH = 256;

    public FileChangeEvent {
        libraryId = Checks.requireId(libraryId, "libraryId", MAX_ID);
        if (processedUpTo != null) {
            Checks.time(processedUpTo, "processedUpTo");
            if (path != null || change != null || oldPath != null) {
                throw new IllegalArgumentException("a processed report (processedUpTo) names no path, change or oldPath");
            }
        } else {
            path = Checks.requireId(path, "path", MAX_PATH);
            Checks.required(change, "change");
        }
        if (change == ChangeType.RENAMED) {
            oldPath = Checks.requireId(oldPath, "oldPath (required for RENAMED)", MAX_PATH);
            if (oldPath.equals(path)) {
                throw new IllegalArgumentException("oldPath equals path: a rename must change the path");
            }
        } else if (oldPath != null) {
            throw new IllegalArgumentException("oldPath is only allowed for RENAMED, not for " + change);
        }
        collectionId = Checks.optionalId(collectionId, "collectionId", MAX_ID);
        runId = Checks.optionalId(runId, "runId", StageProgressEvent.MAX_RUN_ID);
        if (runId != null && runId.isBlank()) {
            throw new IllegalArgumentException("runId is blank");
        }
        if (size != null && size < 0) {
            throw new IllegalArgumentException("size must not be negative, got " + size);
        }
        hash = Checks.optionalId(hash, "hash", MAX_HASH);
        Checks.time(detectedAt, "detectedAt");
        eventId = eventId == null ? null : Checks.requireId(eventId, "eventId", StageProgressEvent.MAX_NAME);
    }

    /**
     * The id under which a run counts this change's work: the eventId, else one derived from libraryId, path,
     * change, oldPath and detectedAt, so the same change published again is counted once. A digest rather
     * than the fields themselves: paths may be 4096 characters, an eventId at most 200.
     */
    public String workId() {
        if (eventId != null) {
            return eventId;
        }
        String fields = String.join("\u0000", libraryId, String.valueOf(path), String.valueOf(change), String.valueOf(oldPath),
                detectedAt.toString());
        return "fc-" + Sha256.hex(fields, 16);
    }

    /** A change of one path. */
    public static FileChangeEvent change(String libraryId, String path, ChangeType change, String oldPath,
            String collectionId, String runId, Long size, String hash, Instant detectedAt) {
        return new FileChangeEvent(libraryId, path, change, oldPath, collectionId, runId, size, hash, detectedAt, null, null);
    }

    /** Run {@code runId} processed every change of the library detected up to {@code upTo}; reported at {@code at}. */
    public static FileChangeEvent processed(String libraryId, String runId, Instant upTo, Instant at) {
        return new FileChangeEvent(libraryId, null, null, null, null, runId, null, null, at, null, upTo);
    }

    /** True for a processed report rather than a change. */
    public boolean processedReport() {
        return processedUpTo != null;
    }
}
