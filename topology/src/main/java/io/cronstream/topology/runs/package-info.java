/**
 * Runs: one task owns each runId and folds due events, stage-progress events and added work into a
 * {@link io.cronstream.schemas.RunSnapshot}, publishing every status and stuck-flag change.
 */
package io.cronstream.topology.runs;
