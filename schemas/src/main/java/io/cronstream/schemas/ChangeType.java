package io.cronstream.schemas;

/** What happened to a file in a watched library. */
public enum ChangeType {
    ADDED,
    MODIFIED,
    DELETED,
    /** Carries {@code oldPath}; counts as DELETED of the old path plus ADDED of the new one. */
    RENAMED
}
