package dev.safemigrate.core;

import java.util.List;

/**
 * What {@code undo} did: rows and values put back from the archive, objects (constraints) dropped, and
 * notes on what it did not put back (what allowed triggers did) or what it overrode ({@code --force}).
 */
public record UndoReport(String id, long rowsRestored, int objectsDropped, List<String> notes) {
    public UndoReport {
        notes = List.copyOf(notes);
    }
}
