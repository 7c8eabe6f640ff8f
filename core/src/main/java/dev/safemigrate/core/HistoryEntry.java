package dev.safemigrate.core;

import java.time.Instant;

/**
 * A row of {@code safemigrate_history}. {@code phase} tells how far an {@code in_progress} run got
 * ({@code preparing}, {@code dml_done}, {@code ddl:2}, or a phase of the run's strategy); {@code stepCounts}
 * is JSON, one object per step.
 */
public record HistoryEntry(String id, String checksum, String description, HistoryStatus status, String phase, String dialect,
                           String strategy, Instant startedAt, Instant finishedAt, String stepCounts, String message) {
    public HistoryEntry withState(HistoryStatus newStatus, String newPhase, Instant finished, String counts, String newMessage) {
        return new HistoryEntry(id, checksum, description, newStatus, newPhase, dialect, strategy, startedAt, finished, counts, newMessage);
    }
}
