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
            } else if (HistoryStatus.APPLIED.equals(entry.status()) && HistoryStatus.UNDOING.equals(entry.phase())) {
                int created = createMissing(session, entry.id());
                session.journal.save(entry.withState(HistoryStatus.APPLIED, null, entry.finishedAt(), entry.stepCounts(),
                        "an undo was interrupted before it restored any data; it stays applied"));
                done.add("migration " + entry.id() + ": an undo was interrupted before restoring data; recover re-created "
                        + created + " dropped object(s), so the migration stays applied");
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
        if (phase.equals(ShadowSwapStrategy.SWAPPING)) {
            return ShadowSwapStrategy.recover(session, entry);
        }
        if (phase.equals(HistoryStatus.DML_DONE) || phase.startsWith(HistoryStatus.DDL_PREFIX)) {
            try {
                createMissing(session, entry.id());
                session.journal.save(entry.withState(HistoryStatus.APPLIED, null, Instant.now(), entry.stepCounts(),
                        "completed by recover after an interrupted run"));
                return "migration " + entry.id() + ": the interrupted run had committed its data changes; recover ran its remaining DDL, so it is now applied";
            } catch (SQLException | RuntimeException e) {
                long restored = reverse(session, entry.id(), HistoryStatus.ROLLED_BACK,
                        "interrupted, and completing it failed: " + MigrationRun.describe(e));
                return "migration " + entry.id() + ": completing the interrupted run failed (" + MigrationRun.describe(e)
                        + "), so recover reversed it from the archive (" + restored + " row(s) and value(s) restored)";
            }
        }
        String cleanup = discardArchives(session, entry.id());
        session.journal.save(entry.withState(HistoryStatus.ROLLED_BACK, null, Instant.now(), entry.stepCounts(),
                "interrupted before any data change was committed"));
        return "migration " + entry.id() + ": the interrupted run had not committed any data change; marked rolled_back" + cleanup;
    }

    /**
     * Drops what the run created (only what exists), then in one transaction puts back every archived row
     * and value, empties the archive and gives the history row {@code status}; then drops the archive
     * tables. Where DDL is transactional the drops join that transaction; elsewhere, if the data
     * transaction fails, the dropped objects are created again, so the run is back where it was. Safe to
     * repeat: after a committed reversal the archive is empty. Returns how many rows and values were restored.
     */
    static long reverse(Session session, String migrationId, String status, String reason) throws SQLException {
        List<JournalEntry> ddl = entries(session, migrationId, JournalEntry.DDL);
        boolean transactionalDdl = session.dialect.supportsTransactionalDdl();
        if (!transactionalDdl) {
            dropCreated(session, ddl);
        }
        long[] restored = {0};
        try {
            Transactions.inTransaction(session.connection, () -> {
                if (transactionalDdl) {
                    dropCreated(session, ddl);
                }
                for (JournalEntry restore : entries(session, migrationId, JournalEntry.RESTORE)) {
                    restored[0] += session.db.update(restore.statement());
                }
                for (JournalEntry archive : entries(session, migrationId, JournalEntry.ARCHIVE)) {
                    if (session.catalog.tableExists(archive.objectName())) {
                        session.db.update(session.dialect.sql().deleteAll(archiveTable(archive.objectName())));
                    }
                }
                HistoryEntry entry = session.journal.find(migrationId);
                session.journal.save(entry.withState(status, null, Instant.now(), entry.stepCounts(), reason));
                session.journal.delete(migrationId, JournalEntry.RESTORE);
                session.journal.delete(migrationId, JournalEntry.BLOCKER);
                session.journal.delete(migrationId, JournalEntry.DDL);
                return null;
            });
        } catch (SQLException | RuntimeException e) {
            if (!transactionalDdl) {
                recreateMissing(session, ddl, e);
            }
            throw e;
        }
        discardArchives(session, migrationId);
        return restored[0];
    }

    private static void dropCreated(Session session, List<JournalEntry> ddl) throws SQLException {
        for (int i = ddl.size() - 1; i >= 0; i--) {
            if (objectExists(session, ddl.get(i))) {
                session.db.execute(ddl.get(i).undoStatement());
            }
        }
    }

    /** Runs the journaled DDL whose object is missing; returns how many it created. */
    static int createMissing(Session session, String migrationId) throws SQLException {
        int created = 0;
        for (JournalEntry ddl : entries(session, migrationId, JournalEntry.DDL)) {
            if (createIfMissing(session, ddl)) {
                created++;
            }
        }
        return created;
    }

    /** After a failed data transaction: creates again what was dropped, trying every object, keeping failures with {@code cause}. */
    private static void recreateMissing(Session session, List<JournalEntry> ddl, Exception cause) {
        for (JournalEntry entry : ddl) {
            try {
                createIfMissing(session, entry);
            } catch (SQLException | RuntimeException again) {
                cause.addSuppressed(again);
            }
        }
    }

    private static boolean createIfMissing(Session session, JournalEntry ddl) throws SQLException {
        if (objectExists(session, ddl)) {
            return false;
        }
        session.db.execute(ddl.statement());
        return true;
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

    /** Sets the phase of a history row, best effort (a later recover sees a stale phase and repairs it anyway). */
    static void recordPhase(Session session, String migrationId, String phase) {
        try {
            HistoryEntry entry = session.journal.find(migrationId);
            session.journal.save(entry.withState(entry.status(), phase, entry.finishedAt(), entry.stepCounts(), entry.message()));
        } catch (RuntimeException ignored) {
            // The connection is gone; recover re-creates what an interrupted undo dropped.
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
