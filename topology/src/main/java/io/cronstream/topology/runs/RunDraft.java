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
     * The run's own fields as changed so far: {@code builder} holds the changes (null until the first), and
     * {@code run} is them built (null until read again), so a record's several changes build one run, not one each.
     * Its stages live in {@link #stages} instead (those of {@code run} are not kept up to date), and its percent,
     * items per second and ETA are only derived by {@link #snapshot()}.
     */
    private RunSnapshot run;
    private RunSnapshot.Builder builder;
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
        RunDraft draft = new RunDraft(run);
        run.stages().forEach((name, stage) -> draft.stages.put(name, StageDraft.of(stage)));
        return draft;
    }

    /** The run's own fields as changed so far; read its stages from {@link #stages}, not from this. */
    RunSnapshot current() {
        if (run == null) {
            run = builder.build();
        }
        return run;
    }

    /** Changes the run's own fields (the stages change in place). */
    void change(Consumer<RunSnapshot.Builder> edit) {
        if (builder == null) {
            builder = run.toBuilder();
        }
        edit.accept(builder);
        run = null;
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
        if (builder == null) {
            builder = run.toBuilder();
        }
        RunSnapshot.Builder b = builder; // read from the changes themselves: no run is built until the last
        List<String> texts = new ArrayList<>(Arrays.asList(b.jobType(), b.triggeredBy(), b.message()));
        stages.values().forEach(stage -> texts.add(stage.message));
        List<String> fitted = TextBudget.fitAll(texts, TEXT_BYTES);
        Map<String, StageSnapshot> stageSnapshots = new LinkedHashMap<>();
        int i = 3;
        for (Map.Entry<String, StageDraft> stage : stages.entrySet()) {
            stageSnapshots.put(stage.getKey(), stage.getValue().snapshot(fitted.get(i++)));
        }
        Double itemsPerSecond = itemsPerSecond(b.startedAt(), b.lastEventAt());
        Double percent = percent(b.status());
        Long etaSeconds = etaSeconds(b.status(), itemsPerSecond);
        change(edit -> edit.jobType(fitted.get(0)).triggeredBy(fitted.get(1)).message(fitted.get(2))
                .percent(percent).itemsPerSecond(itemsPerSecond).etaSeconds(etaSeconds).stages(stageSnapshots));
        return current(); // from here on the draft is this run, stages included
    }

    /** Done share of the items of the stages that know their total; null while none does. */
    private Double percent(RunStatus status) {
        if (status == RunStatus.COMPLETED) {
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
    private Double itemsPerSecond(Instant startedAt, Instant lastEventAt) {
        long processed = 0;
        for (StageDraft stage : stages.values()) {
            processed += stage.done();
        }
        if (startedAt == null || lastEventAt == null || processed == 0) {
            return null;
        }
        long millis = Duration.between(startedAt, lastEventAt).toMillis();
        return millis <= 0 ? null : Math.round(processed * 100_000.0 / millis) / 100.0;
    }

    private Long etaSeconds(RunStatus status, Double itemsPerSecond) {
        if (status == RunStatus.COMPLETED) {
            return 0L;
        }
        boolean anyTotal = false;
        long remaining = 0;
        for (StageDraft stage : stages.values()) {
            anyTotal |= stage.total != null;
            remaining += stage.remaining();
        }
        if (status == RunStatus.FAILED || !anyTotal) {
            return null;
        }
        if (remaining == 0) {
            return 0L;
        }
        return itemsPerSecond == null || itemsPerSecond <= 0 ? null : (long) Math.ceil(remaining / itemsPerSecond);
    }
}
