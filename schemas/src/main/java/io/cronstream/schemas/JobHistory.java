package io.cronstream.schemas;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/** A job's latest runs, newest first, and stats over them: the value of {@code progress-job-history}. */
public record JobHistory(String jobId, List<RunHistoryItem> items, HistoryStats stats) {

    public JobHistory {
        Objects.requireNonNull(jobId, "jobId is required");
        items = items == null ? List.of() : List.copyOf(items);
        Objects.requireNonNull(stats, "stats is required");
    }

    /** The list shape of the API ({@code items} + {@code count}); derived, so never stored apart from items. */
    @JsonProperty("count")
    public int count() {
        return items.size();
    }
}
