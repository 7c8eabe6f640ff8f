package dev.safemigrate.core.spi;

/**
 * One DDL statement that creates the object {@code objectName} on {@code table}, and the statement
 * that drops it again. The engine skips {@code statement} when the object already exists and runs
 * {@code undoStatement} only when it does, so both are safe to repeat after a crash. {@code exclusive}:
 * it needs the table exclusively while it runs (see {@link TableLocks#beforeDdl}).
 */
public record DdlAction(ResolvedTable table, String objectName, String statement, String undoStatement, boolean exclusive) {
}
