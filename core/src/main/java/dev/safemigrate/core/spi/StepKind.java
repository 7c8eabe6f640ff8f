package dev.safemigrate.core.spi;

/** DML runs inside the data transaction; DDL may commit on its own and is journaled one statement at a time. */
public enum StepKind {
    DML,
    DDL
}
