/**
 * Libraries: file changes coalesced per path into each library's pending change set, and the work a
 * change adds to the run it names.
 */
package io.cronstream.topology.libraries;
