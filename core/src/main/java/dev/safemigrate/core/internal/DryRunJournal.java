package dev.safemigrate.core.internal;

import dev.safemigrate.core.HistoryEntry;
import dev.safemigrate.core.spi.JournalEntry;
import dev.safemigrate.core.spi.JournalKind;
import dev.safemigrate.core.spi.RunJournal;
import java.util.ArrayList;
import java.util.List;

/**
 * The journal in a dry run ({@code plan --sql}): reads the real history, writes nothing, and logs each row a
 * run would write as a note. Its entries are kept in memory, so the run reads back what it journaled (the
 * archives to drop once applied, for example) as a real run would.
 */
final class DryRunJournal extends Journal {
    private final Journal real;
    private final boolean historyExists;
    private final StatementLog log;
    private final List<JournalEntry> written = new ArrayList<>();

    DryRunJournal(Journal real, boolean historyExists, StatementLog log) {
        super(null, null);
        this.real = real;
        this.historyExists = historyExists;
        this.log = log;
    }

    @Override
    List<HistoryEntry> history() {
        return historyExists ? real.history() : List.of();
    }

    @Override
    HistoryEntry find(String id) {
        return historyExists ? real.find(id) : null;
    }

    @Override
    void save(HistoryEntry entry) {
        log.note("safemigrate_history: " + entry.id() + " " + entry.status().value() + (entry.phase() == null ? "" : " (phase " + entry.phase() + ")"));
    }

    @Override
    void restore(String id, HistoryEntry previous) {
        log.note("safemigrate_history: " + id + (previous == null ? " removed" : " back to " + previous.status().value()));
    }

    @Override
    RunJournal of(String migrationId) {
        return new RunJournal() {
            @Override
            public void add(JournalKind kind, String tableSchema, String tableName, String objectName, String statement, String undoStatement) {
                written.add(new JournalEntry(migrationId, written.size() + 1, kind, tableSchema, tableName, objectName, statement, undoStatement));
                String what = objectName != null ? objectName : tableName != null ? (tableSchema == null ? "" : tableSchema + ".") + tableName : "";
                log.note("safemigrate_journal: " + kind.name().toLowerCase(java.util.Locale.ROOT) + (what.isEmpty() ? "" : " " + what)
                        + (statement == null ? "" : ": " + statement) + (undoStatement == null ? "" : " (undo: " + undoStatement + ")"));
            }

            @Override
            public List<JournalEntry> entries() {
                return List.copyOf(written);
            }

            @Override
            public void delete(JournalKind kind) {
                written.removeIf(e -> kind == null || e.kind() == kind);
            }
        };
    }
}
