package io.cronstream.api;

import io.cronstream.ticker.TickerTopology;
import io.cronstream.topology.ProgressTopology;
import io.cronstream.topology.alerts.AlertsTopology;
import java.util.List;

/** The stores the API reads (DESIGN §5, §6). */
public final class StoreNames {

    public static final String JOBS = TickerTopology.JOBS_STORE;
    public static final String JOB_NAMES = TickerTopology.NAMES_STORE;
    /** Global: the {@code after} edges of every job, on every instance. */
    public static final String JOB_GRAPH = TickerTopology.GRAPH_STORE;
    public static final String RUNS = ProgressTopology.RUNS_STORE;
    public static final String RUN_COUNTS = ProgressTopology.RUN_COUNTS_STORE;
    public static final String STUCK_INDEX = ProgressTopology.STUCK_INDEX_STORE;
    public static final String RUNS_BY_UPDATE = ProgressTopology.RUNS_BY_UPDATE_STORE;
    public static final String JOB_HISTORY = ProgressTopology.JOB_HISTORY_STORE;
    public static final String LIBRARIES = ProgressTopology.LIBRARIES_STORE;
    public static final String LIBRARY_PENDING = ProgressTopology.LIBRARY_PENDING_STORE;
    public static final String ALERTS = AlertsTopology.ALERTS_STORE;
    public static final String ALERT_COUNTS = AlertsTopology.ALERT_COUNTS_STORE;

    /** Readiness waits for all of them. */
    public static final List<String> ALL = List.of(JOBS, RUNS, JOB_HISTORY, LIBRARIES, LIBRARY_PENDING, ALERTS);

    private StoreNames() {
    }
}
