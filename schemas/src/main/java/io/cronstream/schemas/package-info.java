/**
 * The wire contract of Cronstream: one record per event on a Cronstream topic, the JSON codec
 * every part uses to read and write them, the dead-letter record, and the topic names.
 *
 * <p>The JSON Schemas at the top of this module ({@code *.schema.json}) describe the same
 * events for producers outside Cronstream; tests keep the two in step.
 */
package io.cronstream.schemas;
