package dev.safemigrate.core.spi;

import java.util.List;

/** The journal of one migration's run: what it must remember to be finished, reversed or undone without the rules file. */
public interface RunJournal {
    /** Appends an entry (see {@link JournalKind} for what each field carries); it commits with the transaction it is written in. */
    void add(JournalKind kind, String tableSchema, String tableName, String objectName, String statement, String undoStatement);

    /** Every entry, in the order written. */
    List<JournalEntry> entries();

    default List<JournalEntry> entries(JournalKind kind) {
        return entries().stream().filter(e -> e.kind() == kind).toList();
    }

    /** Forgets the entries of {@code kind}. */
    void delete(JournalKind kind);
}
