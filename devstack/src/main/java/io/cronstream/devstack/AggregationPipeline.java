package io.cronstream.devstack;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import de.bwaldvogel.mongo.backend.aggregation.Aggregation;
import de.bwaldvogel.mongo.bson.Document;

/**
 * The stages of an aggregation (or of a change stream, after its {@code $changeStream}), run in order: the stock
 * server's own stages as it runs them, and {@code $set}, which it lacks, by {@link SetStage}.
 */
final class AggregationPipeline {

    private static final String SET = "$set";

    private final List<UnaryOperator<Stream<Document>>> parts;

    private AggregationPipeline(List<UnaryOperator<Stream<Document>>> parts) {
        this.parts = List.copyOf(parts);
    }

    /** A pipeline the stock server parsed whole. */
    static AggregationPipeline of(Aggregation aggregation) {
        return new AggregationPipeline(List.of(aggregation::runStagesAsStream));
    }

    /**
     * @param serverStages parses a run of stages the stock server knows (every stage but {@code $set})
     */
    static AggregationPipeline of(List<Document> stages, Function<List<Document>, Aggregation> serverStages) {
        List<UnaryOperator<Stream<Document>>> parts = new ArrayList<>();
        List<Document> run = new ArrayList<>();
        for (Document stage : stages) {
            if (!stage.containsKey(SET)) {
                run.add(stage);
                continue;
            }
            if (!run.isEmpty()) {
                parts.add(serverStages.apply(List.copyOf(run))::runStagesAsStream);
                run.clear();
            }
            SetStage set = new SetStage(stage.get(SET));
            parts.add(documents -> documents.map(set));
        }
        if (!run.isEmpty()) {
            parts.add(serverStages.apply(List.copyOf(run))::runStagesAsStream);
        }
        return new AggregationPipeline(parts);
    }

    /** Whether {@code stages} need this class: the stock server refuses {@code $set}. */
    static boolean hasOwnStages(List<?> stages) {
        return stages.stream().anyMatch(stage -> stage instanceof Document document && document.containsKey(SET));
    }

    Stream<Document> run(Stream<Document> documents) {
        Stream<Document> result = documents;
        for (UnaryOperator<Stream<Document>> part : parts) {
            result = part.apply(result);
        }
        return result;
    }
}
