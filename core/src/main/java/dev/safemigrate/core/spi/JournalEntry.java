package dev.safemigrate.core.spi;

/**
 * A row of {@code safemigrate_journal}: one thing a run must remember to finish or reverse itself without
 * the rules file ({@link JournalKind} says which fields carry what).
 */
public record JournalEntry(String migrationId, int seq, JournalKind kind, String tableSchema, String tableName, String objectName,
                           String statement, String undoStatement) {
}
