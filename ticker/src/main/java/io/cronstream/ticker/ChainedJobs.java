package io.cronstream.ticker;

import io.cronstream.schemas.Command;
import io.cronstream.ticker.job.JobDefinition;
import io.cronstream.ticker.job.Upstream;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jobs chained after others ({@code after}, DESIGN §12): when a run of a job ends with its final outcome, each
 * job chained after it with a matching {@code on} is sent one AFTER command (to its own ticker task, through the
 * commands topic). Also writes a job's edges of the job graph when its definition changes.
 */
final class ChainedJobs {

    private static final Logger LOG = LoggerFactory.getLogger(ChainedJobs.class);

    private final JobGraph graph;
    private final BiConsumer<Command, Instant> send;

    /** @param send where AFTER commands go (the processor's emitter) */
    ChainedJobs(JobGraph graph, BiConsumer<Command, Instant> send) {
        this.graph = graph;
        this.send = send;
    }

    /** Over the task's view of the global job-graph store. */
    static ChainedJobs of(ProcessingContext context, BiConsumer<Command, Instant> send) {
        return new ChainedJobs(new JobGraph(context.getStateStore(TickerTopology.GRAPH_STORE)), send);
    }

    JobGraph graph() {
        return graph;
    }

    /** Whether any job is chained after {@code jobId}: its runs' ends must then be reported to the ticker. */
    boolean hasDependents(String jobId) {
        return graph.hasDependents(jobId);
    }

    /** Why {@code job} must not fire (an unknown upstream, a cycle); empty for a job without {@code after}. */
    Optional<String> problem(JobDefinition job) {
        return job.after().isEmpty() ? Optional.empty() : graph.problem(job.jobId(), job.after());
    }

    /** A run of {@code finished.jobId()} ended for good (no retry follows) with {@code finished.status()}. */
    void ended(Command finished, Instant now) {
        if (finished.status() == null) {
            return;
        }
        for (JobGraph.Dependent dependent : graph.dependents(finished.jobId())) {
            if (dependent.on().matches(finished.status())) {
                send.accept(Command.after(dependent.jobId(), finished.runId(), finished.status(), now), now);
                LOG.info("event=after-sent jobId={} upstreamRunId={} status={} on={}", dependent.jobId(),
                        finished.runId(), finished.status(), dependent.on());
            }
        }
    }

    /**
     * Writes the graph's records for {@code job}'s new definition: its marker, its edges (only a valid definition
     * chains: an invalid one cannot fire) and tombstones for the edges {@code previous} had that it has not.
     * Edges that did not change are written again: idempotent on a compacted topic, and it repairs a graph
     * written before a job had its marker. An edit of a job that is chained neither before nor after writes
     * nothing: its marker is there since it was first defined (or since {@link GraphBackfill} wrote it).
     */
    void defined(JobDefinition previous, JobDefinition job, Instant now, GraphWriter out) {
        List<Upstream> edges = job.valid() ? job.after() : List.of();
        if (previous != null && edges.isEmpty() && previous.after().isEmpty()) {
            return;
        }
        out.write(JobGraph.markerKey(job.jobId()), JobGraph.MARKER, now);
        Set<String> kept = new HashSet<>();
        for (Upstream upstream : edges) {
            kept.add(upstream.jobId());
            out.write(JobGraph.edgeKey(upstream.jobId(), job.jobId()), upstream.on().name(), now);
        }
        if (previous != null) {
            for (Upstream upstream : previous.after()) {
                if (!kept.contains(upstream.jobId())) {
                    out.write(JobGraph.edgeKey(upstream.jobId(), job.jobId()), null, now);
                }
            }
        }
    }

    /** Tombstones for a removed job's marker and its edges (the edges of jobs chained after it stay theirs). */
    void removed(JobDefinition previous, Instant now, GraphWriter out) {
        for (Upstream upstream : previous.after()) {
            out.write(JobGraph.edgeKey(upstream.jobId(), previous.jobId()), null, now);
        }
        out.write(JobGraph.markerKey(previous.jobId()), null, now);
    }

    /** Where graph records go: {@link Emitter#graphEdge}. */
    @FunctionalInterface
    interface GraphWriter {
        void write(String key, String value, Instant now);
    }
}
