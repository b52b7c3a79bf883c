/**
 * Job definitions: reading the MongoDB document the connector emits (relaxed Extended JSON or
 * SimplifiedJson, every field alias of DESIGN §4) into one normalised {@link
 * io.cronstream.ticker.job.JobDefinition}. A document that cannot be understood still becomes a
 * definition, with {@code valid=false} and an error a person can act on.
 */
package io.cronstream.ticker.job;
