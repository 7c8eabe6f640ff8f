package dev.safemigrate.core.internal;

import dev.safemigrate.core.HistoryEntry;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.spi.TableLocks;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finishes or reverses runs from the journal alone (no rules file needed): archive tables to remove,
 * restore statements, and each DDL statement with its undo.
 */
final class Recovery {
    private Recovery() {
    }

    /** Completes or reverses every {@code in_progress} run, and removes archives left by reversed runs. Returns what it did. */
    static List<String> recoverAll(Session session) throws SQLException {
        List<String> done = new ArrayList<>();
        for (HistoryEntry entry : session.journal.history()) {
            if (HistoryStatus.IN_PROGRESS.equals(entry.status())) {
                done.add(recover(session, entry));
            } else if (HistoryStatus.ROLLED_BACK.equals(entry.status()) || HistoryStatus.FAILED.equals(entry.status())) {
                String cleanup = discardArchives(session, entry.id());
                if (!cleanup.isEmpty()) {
                    done.add("migration " + entry.id() + ": removed leftover archive tables" + cleanup);
                }
            }
        }
        return done;
    }

    private static String recover(Session session, HistoryEntry entry) throws SQLException {
        String phase = entry.phase() == null ? "" : entry.phase();
        if (phase.equals(HistoryStatus.DML_DONE) || phase.startsWith(HistoryStatus.DDL_PREFIX)) {
            try {
                for (JournalEntry ddl : entries(session, entry.id(), JournalEntry.DDL)) {
                    if (!objectExists(session, ddl)) {
                        session.db.execute(ddl.statement());
                    }
                }
                session.journal.save(entry.withState(HistoryStatus.APPLIED, null, Instant.now(), entry.stepCounts(),
                        "completed by recover after an interrupted run"));
                return "migration " + entry.id() + ": the interrupted run had committed its data changes; recover ran its remaining DDL, so it is now applied";
            } catch (SQLException | RuntimeException e) {
                String restored = reverse(session, entry.id(), "interrupted, and completing it failed: " + MigrationRun.describe(e));
                return "migration " + entry.id() + ": completing the interrupted run failed (" + MigrationRun.describe(e)
                        + "), so recover reversed it from the archive (" + restored + ")";
            }
        }
        String cleanup = discardArchives(session, entry.id());
        session.journal.save(entry.withState(HistoryStatus.ROLLED_BACK, null, Instant.now(), entry.stepCounts(),
                "interrupted before any data change was committed"));
        return "migration " + entry.id() + ": the interrupted run had not committed any data change; marked rolled_back" + cleanup;
    }

    /**
     * Drops what the run created (only what exists), then in one transaction puts back every archived row
     * and value, empties the archive and marks the run rolled back; then drops the archive tables.
     * Safe to repeat: after a committed reversal the archive is empty. Returns a count of what was restored.
     */
    static String reverse(Session session, String migrationId, String reason) throws SQLException {
        List<JournalEntry> ddl = entries(session, migrationId, JournalEntry.DDL);
        for (int i = ddl.size() - 1; i >= 0; i--) {
            if (objectExists(session, ddl.get(i))) {
                session.db.execute(ddl.get(i).undoStatement());
            }
        }
        long[] restored = {0};
        Transactions.inTransaction(session.connection, () -> {
            for (JournalEntry restore : entries(session, migrationId, JournalEntry.RESTORE)) {
                restored[0] += session.db.update(restore.statement());
            }
            for (JournalEntry archive : entries(session, migrationId, JournalEntry.ARCHIVE)) {
                if (session.catalog.tableExists(archive.objectName())) {
                    session.db.update(session.dialect.sql().deleteAll(archiveTable(archive.objectName())));
                }
            }
            HistoryEntry entry = session.journal.find(migrationId);
            session.journal.save(entry.withState(HistoryStatus.ROLLED_BACK, null, Instant.now(), entry.stepCounts(), reason));
            session.journal.delete(migrationId, JournalEntry.RESTORE);
            session.journal.delete(migrationId, JournalEntry.DDL);
            return null;
        });
        discardArchives(session, migrationId);
        return restored[0] + " row(s) and value(s) restored";
    }

    /** Drops the archive tables journaled for the migration and forgets them; returns a note for messages. */
    static String discardArchives(Session session, String migrationId) {
        try {
            List<JournalEntry> archives = entries(session, migrationId, JournalEntry.ARCHIVE);
            for (JournalEntry archive : archives) {
                dropArchive(session, archive.objectName());
            }
            session.journal.delete(migrationId, JournalEntry.ARCHIVE);
            return archives.isEmpty() ? "" : " and its " + archives.size() + " empty archive table(s) were removed";
        } catch (SQLException | RuntimeException e) {
            return "; its empty archive tables could not be removed yet (" + MigrationRun.describe(e) + "), the next migrate or recover removes them";
        }
    }

    static void dropArchive(Session session, String name) throws SQLException {
        if (session.catalog.tableExists(name)) {
            session.db.execute(session.dialect.sql().dropTable(archiveTable(name)));
        }
    }

    private static ResolvedTable archiveTable(String name) {
        return new ResolvedTable(null, name, List.of(), List.of());
    }

    private static List<JournalEntry> entries(Session session, String migrationId, String kind) {
        return session.journal.entries(migrationId).stream().filter(e -> e.kind().equals(kind)).toList();
    }

    private static boolean objectExists(Session session, JournalEntry ddl) throws SQLException {
        Optional<ResolvedTable> table = session.catalog.table(new TableName(Optional.ofNullable(ddl.tableSchema()), ddl.tableName()));
        return table.isPresent() && session.catalog.objectNamed(table.get(), ddl.objectName()).isPresent();
    }

    /** Records a failed run as rolled back, best effort: the data is already as it was. */
    static void recordRolledBack(MigrationRun run, String reason) {
        try {
            run.saveState(HistoryStatus.ROLLED_BACK, null, reason);
        } catch (RuntimeException first) {
            try {
                run.saveState(HistoryStatus.ROLLED_BACK, null, reason);
            } catch (RuntimeException ignored) {
                // The connection is gone; the next run sees no applied entry and starts afresh.
            }
        }
    }

    static void releaseQuietly(TableLocks.Release locks) {
        if (locks != null) {
            try {
                locks.release();
            } catch (SQLException ignored) {
                // Locks die with the session anyway.
            }
        }
    }
}
