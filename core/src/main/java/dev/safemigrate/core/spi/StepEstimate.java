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

    public static StepEstimate noop(String note) {
        return new StepEstimate(0, 0, 0, 0, List.of(), true, List.of(note));
    }
}
