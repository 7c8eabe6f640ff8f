package dev.safemigrate.core.spi;

import java.util.List;

/**
 * What a step would do: rows it would delete, update and archive out of {@code tableRows}, up to five
 * sample keys, and whether it would do nothing at all.
 */
public record StepEstimate(long rowsToDelete, long rowsToUpdate, long rowsToArchive, long tableRows,
                           List<String> sampleKeys, boolean noop, List<String> notes) {
    public StepEstimate {
        sampleKeys = List.copyOf(sampleKeys);
        notes = List.copyOf(notes);
    }

    /** The same estimate with {@code more} notes after its own. */
    public StepEstimate withNotes(List<String> more) {
        List<String> all = new java.util.ArrayList<>(notes);
        all.addAll(more);
        return new StepEstimate(rowsToDelete, rowsToUpdate, rowsToArchive, tableRows, sampleKeys, noop, all);
    }

    public static StepEstimate noop(String note) {
        return new StepEstimate(0, 0, 0, 0, List.of(), true, List.of(note));
    }
}
