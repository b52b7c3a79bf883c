package io.cronstream.ticker;

import java.time.Instant;

/**
 * The value in {@code ticker-job-sources}: the last record of the jobs topic the ticker applied for a job, kept
 * for the reconciliation ({@link JobRepair}). A removed job keeps its entry, with {@code removedAt}, for
 * {@link JobSources#REMOVED_RETENTION}: a repair that was decided before the removal must still see it.
 *
 * @param position    the record's offset in the job's partition of {@code ticker-jobs-by-id} (every record of a job
 *                    crosses the same partition): a later record of the job has a greater one
 * @param fingerprint the document's {@link io.cronstream.ticker.job.JobFingerprint}; null once removed
 * @param version     the document's {@code version}, when it has one
 * @param removedAt   when a tombstone removed the job; null while it is defined
 */
public record JobSource(long position, String fingerprint, Long version, Instant removedAt) {

    /** The position of a job the ticker has no record of (never seen, or removed longer ago than the retention). */
    public static final long NONE = -1;

    public boolean removed() {
        return removedAt != null;
    }
}
