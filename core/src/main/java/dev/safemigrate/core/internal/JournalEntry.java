package dev.safemigrate.core.internal;

/**
 * A row of {@code safemigrate_journal}: what a run must remember to finish or reverse itself without
 * the rules file. Kinds: {@code archive} (an archive table, {@code objectName}), {@code restore}
 * (a statement putting data back from the archive), {@code ddl} (a statement and its undo),
 * {@code blocker} (a query listing rows that would collide with restored ones; they refuse an undo).
 */
record JournalEntry(String migrationId, int seq, String kind, String tableSchema, String tableName, String objectName,
                    String statement, String undoStatement) {
    static final String ARCHIVE = "archive";
    static final String RESTORE = "restore";
    static final String DDL = "ddl";
    static final String BLOCKER = "blocker";
}
