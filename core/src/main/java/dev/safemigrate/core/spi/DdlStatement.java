package dev.safemigrate.core.spi;

/**
 * One DDL statement, the statement that removes what it made, and whether it needs its table exclusively
 * (readers included) while it runs, which {@link TableLocks#beforeDdl} then takes without making others queue.
 */
public record DdlStatement(String statement, String undoStatement, boolean exclusive) {
}
