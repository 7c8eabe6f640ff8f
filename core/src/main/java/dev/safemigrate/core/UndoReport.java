package dev.safemigrate.core;

/** What {@code undo} did: rows and values put back from the archive, and objects (constraints) dropped. */
public record UndoReport(String id, long rowsRestored, int objectsDropped) {
}
