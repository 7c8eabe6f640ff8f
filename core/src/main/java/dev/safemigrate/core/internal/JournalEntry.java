package dev.safemigrate.core.internal;

/**
 * A row of {@code safemigrate_journal}: what a run must remember to finish or reverse itself without
 * the rules file. Kinds: {@code archive} (an archive table, {@code objectName}), {@code restore}
 * (a statement putting data back from the archive), {@code ddl} (a statement and its undo),
 * {@code restore_repeated} (one run again until it changes no row), {@code blocker} (a query listing rows that
 * stop an exact restore, with what they are in {@code undoStatement}; they refuse an undo).
 */
record JournalEntry(String migrationId, int seq, String kind, String tableSchema, String tableName, String objectName,
                    String statement, String undoStatement) {
    static final String ARCHIVE = "archive";
    static final String RESTORE = "restore";
    /** A restore statement run again until it changes no row (restores in generations). */
    static final String RESTORE_REPEATED = "restore_repeated";
    static final String DDL = "ddl";
    static final String BLOCKER = "blocker";
    /** Like {@code blocker}, for rows changed since the migration, which {@code undo --force} overwrites. */
    static final String CHANGED_SINCE = "changed_since";
    /** A table whose rows the migration changes ({@code tableSchema}, {@code tableName}): a later migration changing it blocks an undo. */
    static final String TABLE = "table";
    /** An allowed trigger that fires on the migration's changes: {@code objectName} on {@code tableName}, its stated effect in {@code statement}. */
    static final String TRIGGER = "trigger";
}
