package io.cronstream.api;

/**
 * Change capture as {@code /health} shows it (DESIGN §14): the connector that carries MongoDB's changes to the jobs
 * topic, its task's state as the Connect REST API reports it, and how long ago the jobs topic last took a record.
 *
 * @param connector            the connector's name; null when no Connect REST API is configured
 *                             ({@code cronstream.connect.url})
 * @param task                 {@code RUNNING}, {@code PAUSED}, {@code FAILED}, {@code UNASSIGNED} or {@code UNKNOWN}
 *                             (not watched, not found, or Connect not answering)
 * @param lastChangeAgeSeconds seconds since the newest record on the jobs topic; null while it has none, or the
 *                             broker has not answered yet
 */
public record PipelineStatus(String connector, String task, Long lastChangeAgeSeconds) {

    public static final String RUNNING = "RUNNING";
    public static final String PAUSED = "PAUSED";
    public static final String FAILED = "FAILED";
    public static final String UNASSIGNED = "UNASSIGNED";
    public static final String UNKNOWN = "UNKNOWN";

    /** Nothing watches the connector: its state is unknown. */
    public static final PipelineStatus UNWATCHED = new PipelineStatus(null, UNKNOWN, null);

    /** Whether changes flow: the connector and its task run. */
    public boolean up() {
        return RUNNING.equals(task);
    }
}
