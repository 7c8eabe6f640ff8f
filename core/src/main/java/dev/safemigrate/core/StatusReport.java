package dev.safemigrate.core;

import java.util.List;

/** The history table, plus the ids of given migrations that are not applied yet. */
public record StatusReport(List<HistoryEntry> history, List<String> pending) {
    public StatusReport {
        history = List.copyOf(history);
        pending = List.copyOf(pending);
    }
}
