package dev.safemigrate.core.spi;

/** What a row of {@code safemigrate_journal} remembers for a run, so it can be finished or reversed without the rules file. */
public enum JournalKind {
    /** An archive table ({@code objectName}) of deleted rows or before-images; undo needs it. */
    ARCHIVE,
    /**
     * An archive table ({@code objectName}, also journaled as {@link #ARCHIVE}) the rules asked not to keep
     * ({@code archive: false}): it serves a reversal during the run and is dropped once the run is applied, so an
     * undo is refused.
     */
    DISCARD,
    /** A statement ({@code statement}) that puts data back from an archive. */
    RESTORE,
    /** A restore statement run again until it changes no row (restores in generations). */
    RESTORE_REPEATED,
    /** A query listing rows that take a key a restore needs ({@code undoStatement}: what they are); refuses an undo. */
    BLOCKER,
    /** A query listing rows changed since the migration ({@code undoStatement}: what they are); refuses an undo unless forced. */
    CHANGED_SINCE,
    /** A DDL statement ({@code statement}) creating {@code objectName} on a table, and its undo ({@code undoStatement}). */
    DDL,
    /** A table ({@code tableSchema}, {@code tableName}) whose rows the migration changes: a later migration changing it blocks an undo. */
    TABLE,
    /** An allowed trigger: {@code objectName} on {@code tableName}, its stated effect in {@code statement}. */
    TRIGGER,
    /**
     * What reverses an online run in short slices without its rules file ({@code objectName}: the statement's part, see
     * the online strategy); {@code undo} keeps to the {@link #RESTORE}s. Gone once the run is reversed.
     */
    SLICED_RESTORE,
    /** Whatever a strategy keeps for itself (e.g. a table it created besides the archives); only the strategy reads it. */
    STRATEGY
}
