package io.cronstream.ticker;

import io.cronstream.ticker.job.Upstream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The jobs chained after others ({@code after}, DESIGN §12), as the compacted {@code cronstream.job-graph} topic holds
 * them and the global store {@link TickerTopology#GRAPH_STORE} mirrors them on every instance: an edge
 * {@code upstream NUL dependent} → the dependent's {@code on}, and a marker {@code jobId} → "" for every defined job.
 * Whether an {@code after} names an unknown job or closes a cycle depends on other jobs' definitions, so it is not
 * the parser's to say: the ticker asks {@link #problem} before it fires such a job, the API before it shows one.
 */
public final class JobGraph {

    /** Between the two job ids of an edge key; job ids cannot contain control characters. */
    public static final String SEPARATOR = "\u0000";
    /**
     * How many jobs a cycle search visits at most. Chains are short; a graph this large is not searched to the
     * end, and what was not searched is not reported as a cycle.
     */
    static final int MAX_VISITED = 10_000;

    private static final StringSerializer KEYS = new StringSerializer();

    private final ReadOnlyKeyValueStore<String, String> store;

    public JobGraph(ReadOnlyKeyValueStore<String, String> store) {
        this.store = store;
    }

    /** A job chained after {@code upstream} and the outcome it waits for. */
    public record Dependent(String jobId, Upstream.On on) {
    }

    public static String edgeKey(String upstreamJobId, String dependentJobId) {
        return upstreamJobId + SEPARATOR + dependentJobId;
    }

    /** The marker's key: the job id itself (an edge key always contains {@link #SEPARATOR}). */
    public static String markerKey(String jobId) {
        return jobId;
    }

    /** The marker's value; a tombstone (null) removes it. */
    public static final String MARKER = "";

    /** Whether {@code jobId} is defined (valid or not). */
    public boolean known(String jobId) {
        return store.get(markerKey(jobId)) != null;
    }

    /** The jobs chained after {@code upstreamJobId}, in key order. */
    public List<Dependent> dependents(String upstreamJobId) {
        List<Dependent> dependents = new ArrayList<>();
        String prefix = upstreamJobId + SEPARATOR;
        try (KeyValueIterator<String, String> edges = store.prefixScan(prefix, KEYS)) {
            while (edges.hasNext()) {
                KeyValue<String, String> edge = edges.next();
                Upstream.On on = on(edge.value);
                if (on != null) {
                    dependents.add(new Dependent(edge.key.substring(prefix.length()), on));
                }
            }
        }
        return dependents;
    }

    public boolean hasDependents(String upstreamJobId) {
        try (KeyValueIterator<String, String> edges = store.prefixScan(upstreamJobId + SEPARATOR, KEYS)) {
            return edges.hasNext();
        }
    }

    /**
     * Why {@code jobId}, chained after {@code after}, must not run: an upstream that is not defined
     * ({@code after: job 'x' is not known}), or a cycle ({@code after: cycle a → b → a}, in the order the jobs
     * would run); empty when neither.
     */
    public Optional<String> problem(String jobId, List<Upstream> after) {
        if (after.isEmpty()) {
            return Optional.empty();
        }
        for (Upstream upstream : after) {
            if (!known(upstream.jobId())) {
                return Optional.of("after: job '" + upstream.jobId() + "' is not known");
            }
        }
        Set<String> upstreams = after.stream().map(Upstream::jobId).collect(Collectors.toSet());
        // Breadth first over the jobs that run after jobId: reaching one of its upstreams closes a cycle.
        Map<String, String> reachedFrom = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>();
        reachedFrom.put(jobId, null);
        queue.add(jobId);
        while (!queue.isEmpty() && reachedFrom.size() <= MAX_VISITED) {
            String current = queue.poll();
            if (!current.equals(jobId) && upstreams.contains(current)) {
                return Optional.of("after: cycle " + path(reachedFrom, current) + " → " + jobId);
            }
            for (Dependent next : dependents(current)) {
                if (!reachedFrom.containsKey(next.jobId())) {
                    reachedFrom.put(next.jobId(), current);
                    queue.add(next.jobId());
                }
            }
        }
        return Optional.empty();
    }

    private static String path(Map<String, String> reachedFrom, String last) {
        Deque<String> path = new ArrayDeque<>();
        for (String at = last; at != null; at = reachedFrom.get(at)) {
            path.addFirst(at);
        }
        return String.join(" → ", path);
    }

    private static Upstream.On on(String value) {
        try {
            return value == null ? null : Upstream.On.valueOf(value);
        } catch (IllegalArgumentException notAnEdge) {
            return null;
        }
    }
}
