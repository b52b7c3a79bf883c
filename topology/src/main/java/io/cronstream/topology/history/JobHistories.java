package io.cronstream.topology.history;

import io.cronstream.schemas.HistoryStats;
import io.cronstream.schemas.JobHistory;
import io.cronstream.schemas.RunHistoryItem;
import io.cronstream.schemas.RunSnapshot;
import io.cronstream.schemas.RunStatus;
import io.cronstream.schemas.TextBudget;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Folds a run's latest state into its job's history: newest first, capped, with stats. Pure. */
final class JobHistories {

    /**
     * Newest first by the time the run was meant for (its schedule, else its creation), so a late-seen due
     * event still lands in its place; runId breaks ties so the order never depends on arrival.
     */
    private static final Comparator<RunHistoryItem> NEWEST_FIRST = Comparator
            .comparing((RunHistoryItem item) -> item.scheduledFor() != null ? item.scheduledFor() : item.createdAt())
            .thenComparing(RunHistoryItem::runId)
            .reversed();

    /**
     * The free text (messages, who triggered) of one job's history: with at most 250 runs of 512-character ids,
     * the whole record stays under ~750 KB, below the broker's default limit of about 1 MB.
     */
    static final int TEXT_BYTES = 256 * 1024;

    private JobHistories() {
    }

    static JobHistory empty(String jobId) {
        return new JobHistory(jobId, List.of(), new HistoryStats(0, 0, 0, null, null, null, null));
    }

    static JobHistory record(JobHistory history, RunSnapshot run, int cap) {
        List<RunHistoryItem> items = new ArrayList<>(history.items());
        items.removeIf(item -> item.runId().equals(run.runId()));
        items.add(RunHistoryItem.of(run));
        items.sort(NEWEST_FIRST);
        List<RunHistoryItem> kept = withinTextBudget(items.subList(0, Math.min(cap, items.size())));
        return new JobHistory(history.jobId(), kept, stats(kept, history.stats(), run));
    }

    /** The items with their longest texts cut (with {@link TextBudget#SUFFIX}) so that all fit {@link #TEXT_BYTES}. */
    private static List<RunHistoryItem> withinTextBudget(List<RunHistoryItem> items) {
        List<String> texts = new ArrayList<>(items.size() * 2);
        for (RunHistoryItem item : items) {
            texts.add(item.triggeredBy());
            texts.add(item.message());
        }
        List<String> fitted = TextBudget.fitAll(texts, TEXT_BYTES);
        if (fitted == texts) {
            return items;
        }
        List<RunHistoryItem> result = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            RunHistoryItem item = items.get(i);
            String triggeredBy = fitted.get(2 * i);
            String message = fitted.get(2 * i + 1);
            result.add(triggeredBy == item.triggeredBy() && message == item.message() ? item
                    : item.withTexts(triggeredBy, message));
        }
        return result;
    }

    private static HistoryStats stats(List<RunHistoryItem> items, HistoryStats previous, RunSnapshot run) {
        int succeeded = 0;
        int failed = 0;
        long durationTotal = 0;
        int durations = 0;
        for (RunHistoryItem item : items) {
            if (item.status() == RunStatus.COMPLETED) {
                succeeded++;
            } else if (item.status() == RunStatus.FAILED) {
                failed++;
            }
            if (item.status().terminal() && item.durationMs() != null) {
                durationTotal += item.durationMs();
                durations++;
            }
        }
        int finished = succeeded + failed;
        Instant lastSuccessAt = previous.lastSuccessAt();
        Instant lastFailureAt = previous.lastFailureAt();
        if (run.status() == RunStatus.COMPLETED) {
            lastSuccessAt = latest(lastSuccessAt, run.completedAt());
        } else if (run.status() == RunStatus.FAILED) {
            lastFailureAt = latest(lastFailureAt, run.completedAt());
        }
        return new HistoryStats(items.size(), succeeded, failed,
                finished == 0 ? null : Math.round(succeeded * 10_000.0 / finished) / 10_000.0,
                durations == 0 ? null : Math.round((double) durationTotal / durations),
                lastSuccessAt, lastFailureAt);
    }

    private static Instant latest(Instant a, Instant b) {
        if (b == null) {
            return a;
        }
        return a == null || b.isAfter(a) ? b : a;
    }
}
