package io.cronstream.topology.runs;

import io.cronstream.schemas.RunSnapshot;
import io.cronstream.schemas.RunStatus;
import io.cronstream.schemas.StageSnapshot;
import io.cronstream.schemas.StageStatus;
import io.cronstream.schemas.Trigger;
import java.time.Duration;
import java.time.Instant;
import io.cronstream.schemas.TextBudget;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run being changed: the mutable twin of {@link RunSnapshot}, living only while one record or one
 * stall is handled. {@link #snapshot()} derives percent, items per second and ETA from the counts.
 */
final class RunDraft {

    /** The free text of one run record: with at most 500 stages, the whole record stays under ~700 KB. */
    static final int TEXT_BYTES = 256 * 1024;

    final String runId;
    String jobId;
    String jobType;
    RunStatus status = RunStatus.PENDING;
    boolean stuck;
    Instant stuckSince;
    Trigger trigger;
    String triggeredBy;
    Instant scheduledFor;
    Instant createdAt;
    Instant startedAt;
    Instant updatedAt;
    Instant completedAt;
    Instant lastActivityAt;
    Instant lastEventAt;
    final Map<String, StageDraft> stages = new LinkedHashMap<>();
    Duration stuckAfter;
    Duration failAfter;
    String overlapPolicy;
    String message;

    private RunDraft(String runId) {
        this.runId = runId;
    }

    /** A run Cronstream has not seen before, PENDING and watched from {@code now}. */
    static RunDraft create(String runId, Instant now, Duration stuckAfter, Duration failAfter) {
        RunDraft draft = new RunDraft(runId);
        draft.createdAt = now;
        draft.updatedAt = now;
        draft.lastActivityAt = now;
        draft.stuckAfter = stuckAfter;
        draft.failAfter = failAfter;
        return draft;
    }

    static RunDraft of(RunSnapshot run) {
        RunDraft draft = new RunDraft(run.runId());
        draft.jobId = run.jobId();
        draft.jobType = run.jobType();
        draft.status = run.status();
        draft.stuck = run.stuck();
        draft.stuckSince = run.stuckSince();
        draft.trigger = run.trigger();
        draft.triggeredBy = run.triggeredBy();
        draft.scheduledFor = run.scheduledFor();
        draft.createdAt = run.createdAt();
        draft.startedAt = run.startedAt();
        draft.updatedAt = run.updatedAt();
        draft.completedAt = run.completedAt();
        draft.lastActivityAt = run.lastActivityAt();
        draft.lastEventAt = run.lastEventAt();
        run.stages().forEach((name, stage) -> draft.stages.put(name, StageDraft.of(stage)));
        draft.stuckAfter = run.stuckAfter();
        draft.failAfter = run.failAfter();
        draft.overlapPolicy = run.overlapPolicy();
        draft.message = run.message();
        return draft;
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
        List<String> texts = new ArrayList<>(Arrays.asList(jobType, triggeredBy, message));
        stages.values().forEach(stage -> texts.add(stage.message));
        List<String> fitted = TextBudget.fitAll(texts, TEXT_BYTES);
        Map<String, StageSnapshot> stageSnapshots = new LinkedHashMap<>();
        int i = 3;
        for (Map.Entry<String, StageDraft> stage : stages.entrySet()) {
            stageSnapshots.put(stage.getKey(), stage.getValue().snapshot(fitted.get(i++)));
        }
        Double itemsPerSecond = itemsPerSecond();
        return new RunSnapshot(runId, jobId, fitted.get(0), status, stuck, stuckSince, trigger, fitted.get(1),
                scheduledFor, createdAt, startedAt, updatedAt, completedAt, lastActivityAt, lastEventAt, percent(),
                itemsPerSecond, etaSeconds(itemsPerSecond), stageSnapshots, stuckAfter, failAfter, fitted.get(2), overlapPolicy);
    }

    /** Done share of the items of the stages that know their total; null while none does. */
    private Double percent() {
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
    private Double itemsPerSecond() {
        long processed = stages.values().stream().mapToLong(StageDraft::done).sum();
        if (startedAt == null || lastEventAt == null || processed == 0) {
            return null;
        }
        long millis = Duration.between(startedAt, lastEventAt).toMillis();
        return millis <= 0 ? null : Math.round(processed * 100_000.0 / millis) / 100.0;
    }

    private Long etaSeconds(Double itemsPerSecond) {
        if (status == RunStatus.COMPLETED) {
            return 0L;
        }
        if (status == RunStatus.FAILED || stages.values().stream().allMatch(stage -> stage.total == null)) {
            return null;
        }
        long remaining = stages.values().stream().mapToLong(StageDraft::remaining).sum();
        if (remaining == 0) {
            return 0L;
        }
        return itemsPerSecond == null || itemsPerSecond <= 0 ? null : (long) Math.ceil(remaining / itemsPerSecond);
    }
}
