package dev.safemigrate.core;

import java.time.Instant;

/**
 * A row of {@code safemigrate_history}. {@code status} is {@code in_progress}, {@code applied},
 * {@code rolled_back}, {@code failed} or {@code undone}; {@code phase} tells how far an
 * {@code in_progress} run got; {@code stepCounts} is JSON, one object per step.
 */
public record HistoryEntry(String id, String checksum, String description, String status, String phase, String dialect,
                           String strategy, Instant startedAt, Instant finishedAt, String stepCounts, String message) {
    public HistoryEntry withState(String newStatus, String newPhase, Instant finished, String counts, String newMessage) {
        return new HistoryEntry(id, checksum, description, newStatus, newPhase, dialect, strategy, startedAt, finished, counts, newMessage);
    }
}
