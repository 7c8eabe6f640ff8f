package dev.safemigrate.core.internal;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.HistoryEntry;
import dev.safemigrate.core.HistoryStatus;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.UndoReport;
import dev.safemigrate.core.spi.JournalEntry;
import dev.safemigrate.core.spi.JournalKind;
import dev.safemigrate.core.spi.RunPhase;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Puts back what an applied migration deleted or changed, from its archive and journal, and drops what
 * it created. Refused, before any change, when rows inserted since would collide with restored ones.
 */
final class Undo {
    private Undo() {
    }

    /**
     * Undoes {@code migrationId}. Refused, before any change, when its archive is gone, when rows inserted
     * since hold keys it would put back, and, unless {@code force}, when a later applied migration changed
     * the same tables or rows it changed were changed again since.
     */
    static UndoReport undo(Session session, String migrationId, boolean force) throws SQLException {
        HistoryEntry entry = session.journal.find(migrationId);
        if (entry == null) {
            throw SafeMigrateException.invalid("there is no migration " + migrationId + " in the history");
        }
        if (entry.status() != HistoryStatus.APPLIED) {
            throw SafeMigrateException.refused("migration " + migrationId + " is " + entry.status() + ", not applied; there is nothing to undo");
        }
        List<JournalEntry> journal = session.journal.of(migrationId).entries();
        List<String> discarded = journal.stream().filter(e -> e.kind() == JournalKind.DISCARD).map(JournalEntry::objectName).toList();
        if (!discarded.isEmpty()) {
            throw SafeMigrateException.refused("migration " + migrationId + " was run with archive: false, so the rows it deleted were not"
                    + " kept (its archive table(s) " + String.join(", ", discarded) + " were dropped once it was applied); it cannot be undone");
        }
        boolean hasData = journal.stream().anyMatch(e -> e.kind() == JournalKind.RESTORE || e.kind() == JournalKind.RESTORE_REPEATED);
        boolean hasArchive = journal.stream().anyMatch(e -> e.kind() == JournalKind.ARCHIVE);
        if (hasData && !hasArchive) {
            throw SafeMigrateException.refused("migration " + migrationId + " was run with archive: false, so the rows it deleted were not kept; it cannot be undone");
        }
        requireArchives(session, migrationId, journal);
        List<String> notes = new ArrayList<>();
        List<String> later = laterMigrationsOnTheSameTables(session, entry, journal);
        if (!later.isEmpty()) {
            String what = "later applied migration(s) changed tables it would put back: " + String.join("; ", later);
            if (!force) {
                throw SafeMigrateException.refused("undo of " + migrationId + " refused, nothing was changed: " + what
                        + ". Undo those first (newest first), or run undo --force to put this migration's rows and values back over theirs");
            }
            notes.add("--force: undone although " + what);
        }
        if (force) {
            Blockers.find(session, migrationId, JournalKind.CHANGED_SINCE).forEach(changed -> notes.add("--force: overwrote " + changed));
        }
        Blockers.requireNone(session, migrationId, !force, blocked -> SafeMigrateException.refused("undo of " + migrationId
                + " refused, nothing was changed: " + blocked + (force ? "" : ". Put those rows back as the migration left them, delete or"
                + " renumber new ones, or run undo --force to overwrite rows changed since (rows whose key is taken still refuse it)")));
        // One object can take several statements (PostgreSQL builds a unique index, then attaches it as the constraint).
        int objects = (int) journal.stream().filter(e -> e.kind() == JournalKind.DDL).map(e -> tableKey(e) + "." + e.objectName()).distinct().count();
        if (!session.dialect.supportsTransactionalDdl()) {
            session.journal.save(entry.withState(HistoryStatus.APPLIED, RunPhase.UNDOING.value(), entry.finishedAt(), entry.stepCounts(), null));
        }
        try {
            Recovery.Reversal reversal = Recovery.reverse(session, migrationId, HistoryStatus.UNDONE, "undone");
            if (!reversal.triggerCaveat().isEmpty()) {
                notes.add(reversal.triggerCaveat().substring(2));
            }
            reversal.archiveWarning().ifPresent(notes::add);
            return new UndoReport(migrationId, reversal.restored(), objects, notes);
        } catch (SQLException | RuntimeException e) {
            throw failed(session, migrationId, e);
        }
    }

    /**
     * The data transaction of an undo rolled back. Where DDL is transactional, so did the drops; elsewhere the
     * dropped objects were created again, which is checked, not assumed: one still missing leaves the history
     * in the undoing phase, for {@code recover} to create it.
     */
    private static SafeMigrateException failed(Session session, String migrationId, Exception cause) {
        String prefix = "undo of " + migrationId + " failed: " + MigrationRun.describe(cause) + ". ";
        Optional<List<String>> missing = session.dialect.supportsTransactionalDdl() ? Optional.of(List.of())
                : JournaledObjects.missingObjects(session, migrationId);
        if (missing.isPresent() && missing.get().isEmpty()) {
            Recovery.recordPhase(session, migrationId, null);
            return new SafeMigrateException(ExitCode.FAILED_RESTORED, prefix + "Nothing was changed: the data transaction was rolled back"
                    + " and any constraint it had dropped exists again, so the migration stays applied", cause);
        }
        String constraints = missing.map(names -> "the constraint(s) " + String.join(", ", names) + " it had dropped could not be created again")
                .orElse("whether the constraints it had dropped exist again could not be checked");
        return new SafeMigrateException(ExitCode.INTERMEDIATE, prefix + "The data transaction was rolled back, so every row is as it was,"
                + " but " + constraints + "; the migration stays applied, and `safemigrate recover` creates them again", cause);
    }

    /** Every archive the migration kept must still exist: its rows are what an undo puts back. */
    private static void requireArchives(Session session, String migrationId, List<JournalEntry> journal) throws SQLException {
        for (JournalEntry archive : journal) {
            if (archive.kind() == JournalKind.ARCHIVE && !session.catalog.tableExists(archive.objectName())) {
                throw SafeMigrateException.refused("undo of " + migrationId + " refused, nothing was changed: its archive table "
                        + archive.objectName() + ", which holds rows or values it would put back, no longer exists");
            }
        }
    }

    /** Applied migrations that started after {@code entry} and changed a table it changed (from the journal's table entries). */
    private static List<String> laterMigrationsOnTheSameTables(Session session, HistoryEntry entry, List<JournalEntry> journal) {
        List<String> tables = journal.stream().filter(e -> e.kind() == JournalKind.TABLE).map(Undo::tableKey).toList();
        List<String> later = new ArrayList<>();
        for (HistoryEntry other : session.journal.history()) {
            boolean after = other.startedAt() != null && entry.startedAt() != null && other.startedAt().isAfter(entry.startedAt());
            if (!other.id().equals(entry.id()) && other.status() == HistoryStatus.APPLIED && after) {
                List<String> shared = session.journal.of(other.id()).entries(JournalKind.TABLE).stream()
                        .map(Undo::tableKey).filter(tables::contains).distinct().toList();
                if (!shared.isEmpty()) {
                    later.add(other.id() + " (" + String.join(", ", shared) + ")");
                }
            }
        }
        return later;
    }

    private static String tableKey(JournalEntry table) {
        return table.tableSchema() == null ? table.tableName() : table.tableSchema() + "." + table.tableName();
    }
}
