package io.cronstream.schemas;

import java.util.List;
import java.util.Objects;

/**
 * The names of Cronstream's topics. Every name is configurable; these are the defaults of DESIGN §3.
 * {@code jobGraph} is Cronstream's own (compacted): the {@code after} edges between jobs, read by every instance.
 */
public record Topics(
        String jobs,
        String commands,
        String jobDue,
        String stageProgress,
        String fileChanges,
        String runStatus,
        String stuckRuns,
        String dlq,
        String alerts,
        String runControl,
        String jobGraph) {

    public Topics {
        Objects.requireNonNull(jobs, "jobs");
        Objects.requireNonNull(commands, "commands");
        Objects.requireNonNull(jobDue, "jobDue");
        Objects.requireNonNull(stageProgress, "stageProgress");
        Objects.requireNonNull(fileChanges, "fileChanges");
        Objects.requireNonNull(runStatus, "runStatus");
        Objects.requireNonNull(stuckRuns, "stuckRuns");
        Objects.requireNonNull(dlq, "dlq");
        Objects.requireNonNull(alerts, "alerts");
        Objects.requireNonNull(runControl, "runControl");
        Objects.requireNonNull(jobGraph, "jobGraph");
    }

    public static Topics defaults() {
        return withPrefix("cronstream.");
    }

    public static Topics withPrefix(String prefix) {
        return new Topics(prefix + "jobs", prefix + "commands", prefix + "job-due", prefix + "stage-progress",
                prefix + "file-changes", prefix + "run-status", prefix + "stuck-runs", prefix + "dlq", prefix + "alerts",
                prefix + "run-control", prefix + "job-graph");
    }

    public List<String> all() {
        return List.of(jobs, commands, jobDue, stageProgress, fileChanges, runStatus, stuckRuns, dlq, alerts, runControl,
                jobGraph);
    }
}
