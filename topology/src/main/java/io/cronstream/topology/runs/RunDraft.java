package io.cronstream.topology.runs;

import io.cronstream.schemas.RunSnapshot;
import io.cronstream.schemas.RunStatus;
import io.cronstream.schemas.StageSnapshot;
import io.cronstream.schemas.StageStatus;
import io.cronstream.schemas.TextBudget;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A run being changed: the mutable twin of {@link RunSnapshot}, living only while one record or one
 * stall is handled. {@link #snapshot()} derives percent, items per second and ETA from the counts.
 */
final class RunDraft {

    /** The free text of one run record: with at most 500 stages, the whole record stays under ~700 KB. */
    static final int TEXT_BYTES = 256 * 1024;

    /**
     * The run's own fields as changed so far. Its stages live in {@link #stages} instead (kept empty here, so that
     * a change does not copy them), and its percent, items per second and ETA are only derived by {@link #snapshot()}.
     */
    private RunSnapshot run;
    final Map<String, StageDraft> stages = new LinkedHashMap<>();

    private RunDraft(RunSnapshot run) {
        this.run = run;
    }

    /** A run Cronstream has not seen before, PENDING and watched from {@code now}. */
    static RunDraft create(String runId, Instant now, Duration stuckAfter, Duration failAfter) {
        return new RunDraft(RunSnapshot.builder(runId).createdAt(now).updatedAt(now).lastActivityAt(now)
                .stuckAfter(stuckAfter).failAfter(failAfter).build());
    }

    static RunDraft of(RunSnapshot run) {
        RunDraft draft = new RunDraft(run.with(b -> b.stages(Map.of())));
        run.stages().forEach((name, stage) -> draft.stages.put(name, StageDraft.of(stage)));
        return draft;
    }

    /** The run's own fields as changed so far; read its stages from {@link #stages}. */
    RunSnapshot current() {
        return run;
    }

    /** Changes the run's own fields (the stages change in place). */
    void change(Consumer<RunSnapshot.Builder> edit) {
        run = run.with(edit);
    }

    StageDraft stage(String name) {
        return stages.computeIfAbsent(name, n -> new StageDraft());
    }

    /**
     * The run as stored and published. Its free text (the messages of the run and of up to
     * {@code maxStagesPerRun} stages, its type, who triggered it) shares {@link #TEXT_BYTES}: the longest
     * texts are cut, with {@link TextBudget#SUFFIX}, so the record stays far below the broker's limit.
     */
    RunSnapshot snapshot() {
        List<String> texts = new ArrayList<>(Arrays.asList(run.jobType(), run.triggeredBy(), run.message()));
        stages.values().forEach(stage -> texts.add(stage.message));
        List<String> fitted = TextBudget.fitAll(texts, TEXT_BYTES);
        Map<String, StageSnapshot> stageSnapshots = new LinkedHashMap<>();
        int i = 3;
        for (Map.Entry<String, StageDraft> stage : stages.entrySet()) {
            stageSnapshots.put(stage.getKey(), stage.getValue().snapshot(fitted.get(i++)));
        }
        Double itemsPerSecond = itemsPerSecond();
        return run.with(b -> b.jobType(fitted.get(0)).triggeredBy(fitted.get(1)).message(fitted.get(2))
                .percent(percent()).itemsPerSecond(itemsPerSecond).etaSeconds(etaSeconds(itemsPerSecond))
                .stages(stageSnapshots));
    }

    /** Done share of the items of the stages that know their total; null while none does. */
    private Double percent() {
        if (run.status() == RunStatus.COMPLETED) {
            return 100.0;
        }
        long total = 0;
        long done = 0;
        for (StageDraft stage : stages.values()) {
            if (stage.total != null) {
                total += stage.total;
                done += stage.status == StageStatus.COMPLETED ? stage.total : Math.min(stage.done(), stage.total);
            }
        }
        return total == 0 ? null : Math.round(done * 1000.0 / total) / 10.0;
    }

    /** Items finished per second between the run's start and its latest event, by the workers' clocks. */
    private Double itemsPerSecond() {
        long processed = stages.values().stream().mapToLong(StageDraft::done).sum();
        if (run.startedAt() == null || run.lastEventAt() == null || processed == 0) {
            return null;
        }
        long millis = Duration.between(run.startedAt(), run.lastEventAt()).toMillis();
        return millis <= 0 ? null : Math.round(processed * 100_000.0 / millis) / 100.0;
    }

    private Long etaSeconds(Double itemsPerSecond) {
        if (run.status() == RunStatus.COMPLETED) {
            return 0L;
        }
        if (run.status() == RunStatus.FAILED || stages.values().stream().allMatch(stage -> stage.total == null)) {
            return null;
        }
        long remaining = stages.values().stream().mapToLong(StageDraft::remaining).sum();
        if (remaining == 0) {
            return 0L;
        }
        return itemsPerSecond == null || itemsPerSecond <= 0 ? null : (long) Math.ceil(remaining / itemsPerSecond);
    }
}
