package io.cronstream.workers.scan;

/** The stages of a library scan, in the order they run (the progress topology adds work to the last three). */
final class Stages {

    static final String SCAN = "scan";
    static final String THUMBNAIL = "thumbnail";
    static final String CACHE = "cache";
    static final String CLEANUP = "cleanup";

    private Stages() {
    }
}
