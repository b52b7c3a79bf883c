package io.cronstream.ticker.job;

/** Whether a job may fire while its previous run is still active. */
public enum OverlapPolicy {
    ALLOW,
    /** Do not fire while the previous run is PENDING or RUNNING. */
    SKIP
}
