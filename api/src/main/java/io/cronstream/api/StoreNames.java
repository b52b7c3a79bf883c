package io.cronstream.api;

import io.cronstream.ticker.TickerTopology;
import java.util.List;

/** The stores the API reads (DESIGN §5, §6). */
public final class StoreNames {

    public static final String JOBS = TickerTopology.JOBS_STORE;
    public static final String RUNS = "progress-runs";
    public static final String JOB_HISTORY = "progress-job-history";
    public static final String LIBRARIES = "progress-libraries";
    public static final String LIBRARY_PENDING = "progress-library-pending";

    /** Readiness waits for all of them. */
    public static final List<String> ALL = List.of(JOBS, RUNS, JOB_HISTORY, LIBRARIES, LIBRARY_PENDING);

    private StoreNames() {
    }
}
