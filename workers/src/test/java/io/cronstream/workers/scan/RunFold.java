package io.cronstream.workers.scan;

import io.cronstream.schemas.ChangeType;
import io.cronstream.schemas.FileChangeEvent;
import io.cronstream.schemas.ProgressKind;
import io.cronstream.schemas.StageProgressEvent;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The test's own fold of one run, as DESIGN §6 describes it: STAGE_STARTED sets a total, a file change that
 * names the run adds one item to thumbnail and cache (ADDED, MODIFIED, RENAMED) or cleanup (DELETED, RENAMED)
 * once per eventId, PROGRESS adds its increment once per eventId or sets absolute counts.
 */
final class RunFold {

    record Stage(long total, long completed, long failed, boolean declaredComplete) {

        boolean complete() {
            return declaredComplete && completed + failed == total;
        }
    }

    private final Map<String, long[]> counts = new LinkedHashMap<>();
    private final Set<String> completedStages = new HashSet<>();
    private final Set<String> seenEventIds = new HashSet<>();
    private final Set<String> seenChangeIds = new HashSet<>();
    private ProgressKind end;
    private String endMessage;

    static RunFold of(String runId, List<StageProgressEvent> progress, List<FileChangeEvent> changes) {
        RunFold fold = new RunFold();
        progress.stream().filter(event -> event.runId().equals(runId)).forEach(fold::apply);
        changes.stream().filter(event -> runId.equals(event.runId()) && !event.processedReport())
                .forEach(fold::apply);
        return fold;
    }

    Map<String, Stage> stages() {
        Map<String, Stage> stages = new LinkedHashMap<>();
        counts.forEach((name, c) -> stages.put(name, new Stage(c[0], c[1], c[2], completedStages.contains(name))));
        return stages;
    }

    ProgressKind end() {
        return end;
    }

    String endMessage() {
        return endMessage;
    }

    private void apply(StageProgressEvent event) {
        if (event.eventId() != null && !seenEventIds.add(event.eventId())) {
            return;
        }
        switch (event.kind()) {
            case RUN_COMPLETED, RUN_FAILED -> {
                end = event.kind();
                endMessage = event.message();
            }
            case STAGE_COMPLETED -> {
                stage(event.stage());
                completedStages.add(event.stage());
            }
            case STAGE_STARTED -> {
                long[] c = stage(event.stage());
                if (event.total() != null) {
                    c[0] = event.total();
                }
            }
            case PROGRESS -> {
                long[] c = stage(event.stage());
                c[1] = event.completed() != null ? event.completed() : c[1] + event.completedIncrement();
                if (event.failed() != null) {
                    c[2] = event.failed();
                }
            }
            default -> {
                // RUN_STARTED, HEARTBEAT, STAGE_FAILED change no counts
            }
        }
    }

    private void apply(FileChangeEvent change) {
        if (!seenChangeIds.add(change.workId())) {
            return;
        }
        if (change.change() != ChangeType.DELETED) {
            stage(Stages.THUMBNAIL)[0]++;
            stage(Stages.CACHE)[0]++;
        }
        if (change.change() == ChangeType.DELETED || change.change() == ChangeType.RENAMED) {
            stage(Stages.CLEANUP)[0]++;
        }
    }

    private long[] stage(String name) {
        return counts.computeIfAbsent(name, n -> new long[3]);
    }
}
