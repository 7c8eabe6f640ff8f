package dev.safemigrate.core.model;

/** Whether NULLs in key columns can make two rows duplicates. */
public enum NullsMode {
    /** As SQL UNIQUE: a row with a NULL key column is never a duplicate. */
    DISTINCT,
    /** NULLs match each other; needs a constraint that agrees (NULLS NOT DISTINCT). */
    EQUAL
}
