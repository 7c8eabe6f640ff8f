package dev.safemigrate.core;

import java.util.List;

/**
 * The history table; of the given migrations, the ids of those not applied yet, and those applied
 * whose file changed since (which {@code migrate} and {@code plan} refuse).
 */
public record StatusReport(List<HistoryEntry> history, List<String> pending, List<Changed> changed) {
    public StatusReport {
        history = List.copyOf(history);
        pending = List.copyOf(pending);
        changed = List.copyOf(changed);
    }

    /** An applied migration whose file's checksum is no longer the one its history row recorded. */
    public record Changed(String id, String source, String checksum, String historyChecksum) {
    }
}
