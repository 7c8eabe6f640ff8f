package dev.safemigrate.core.spi;

/** A kind of row change: what a step does to a table's rows, and what a trigger fires on. */
public enum DmlEvent {
    INSERT,
    UPDATE,
    DELETE,
    TRUNCATE
}
