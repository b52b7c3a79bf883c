package io.cronstream.ticker.job;

/** What a record on the jobs topic says: here is a definition, this job is gone, or its document is too large. */
public sealed interface ParsedJob {

    String jobId();

    record Defined(JobDefinition definition) implements ParsedJob {
        @Override
        public String jobId() {
            return definition.jobId();
        }
    }

    record Deleted(String jobId) implements ParsedJob {
    }

    /** A stub standing for a document over the limit ({@link OversizedDocument}): the job must not fire on. */
    record TooLarge(String jobId, OversizedDocument document) implements ParsedJob {
    }
}
