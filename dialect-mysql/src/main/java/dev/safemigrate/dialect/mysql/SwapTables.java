package dev.safemigrate.dialect.mysql;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.spi.Catalog;
import dev.safemigrate.core.spi.Db;
import dev.safemigrate.core.spi.JournalEntry;
import dev.safemigrate.core.spi.JournalKind;
import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.spi.RunJournal;
import dev.safemigrate.core.sql.SqlSyntax;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * The three tables of a shadow swap: the table, its cleaned copy, and the name the original gets when it is
 * swapped out (an empty placeholder until then), with the tag of the rename statement. The journal holds the
 * copy as a strategy entry and the original's new name as the archive, so recovery and undo find them.
 */
record SwapTables(ResolvedTable table, ResolvedTable shadow, ResolvedTable old) {
    static final String SHADOW = "shadow_new";

    String marker() {
        return "safemigrate swap " + old.name();
    }

    /** Journals the copy and the archive-to-be, before either exists, so recovery can remove them. */
    void journal(RunJournal journal) {
        journal.add(JournalKind.TABLE, table.schema(), table.name(), null, null, null);
        journal.add(JournalKind.STRATEGY, table.schema(), table.name(), shadow.name(), SHADOW, null);
        journal.add(JournalKind.ARCHIVE, null, null, old.name(), null, null);
    }

    /** The tables as a run journaled them; empty of columns (names are all recovery needs). */
    static SwapTables journaled(RunJournal journal, String migrationId) {
        JournalEntry shadow = journal.entries(JournalKind.STRATEGY).stream().filter(e -> SHADOW.equals(e.statement())).findFirst()
                .orElseThrow(() -> new IllegalStateException("migration " + migrationId + " ran a shadow swap, but its journal does not name the copy"));
        JournalEntry old = journal.entries(JournalKind.ARCHIVE).stream().findFirst()
                .orElseThrow(() -> new IllegalStateException("migration " + migrationId + " ran a shadow swap, but its journal does not name the archive"));
        return new SwapTables(new ResolvedTable(shadow.tableSchema(), shadow.tableName(), List.of(), List.of()), named(shadow.objectName()),
                named(old.objectName()));
    }

    static ResolvedTable named(String name) {
        return new ResolvedTable(null, name, List.of(), List.of());
    }

    /**
     * Whether the swap happened, once no rename of this run is still running (a crashed run's rename may
     * complete after it): the copy is gone and the archive exists only after the rename.
     */
    boolean swapped(Db db, Catalog catalog, ShadowSwapSql sql, Duration timeout) throws SQLException {
        Cutover.awaitGone(db, timeout, sql.countSessionsRunning(marker(), false));
        return !catalog.tableExists(shadow.name()) && catalog.tableExists(old.name());
    }

    /**
     * Undoes everything but the swap: drops the copy first (without it no rename can succeed any more), then
     * the placeholder, only if empty, so the original can never be mistaken for it; then forgets what the run
     * journaled to restore or undo.
     */
    void rollBack(Db db, Catalog catalog, RunJournal journal, SqlSyntax syntax) throws SQLException {
        if (catalog.tableExists(shadow.name())) {
            db.execute(syntax.dropTable(shadow));
        }
        if (catalog.tableExists(old.name())) {
            if (db.queryLong(syntax.countRows(old)) != 0) {
                throw new SafeMigrateException(ExitCode.INTERMEDIATE, old + " holds rows although " + table
                        + " was not swapped; it is left in place for inspection");
            }
            db.execute(syntax.dropTable(old));
        }
        for (JournalKind kind : List.of(JournalKind.RESTORE, JournalKind.BLOCKER, JournalKind.DDL, JournalKind.STRATEGY, JournalKind.ARCHIVE)) {
            journal.delete(kind);
        }
    }
}
