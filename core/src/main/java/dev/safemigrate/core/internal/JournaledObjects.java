package dev.safemigrate.core.internal;

import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.spi.JournalEntry;
import dev.safemigrate.core.spi.JournalKind;
import dev.safemigrate.core.spi.ResolvedTable;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The objects a run's journaled DDL creates (constraints, indexes), as the catalog has them: dropped when a
 * run is reversed, created again when they are missing, each step only where the catalog says it is needed.
 */
final class JournaledObjects {
    private JournaledObjects() {
    }

    /** A statement that drops an object. */
    interface Drop {
        void run(String statement) throws SQLException;
    }

    /** Drops, in reverse order, each journaled object that exists, after what the dialect needs to run first ({@code Dialect.beforeDrop}). */
    static void dropCreated(Session session, List<JournalEntry> ddl) throws SQLException {
        dropCreated(session, ddl, session.db::execute);
    }

    /** As {@link #dropCreated(Session, List)}, each drop run by {@code drop}. */
    static void dropCreated(Session session, List<JournalEntry> ddl, Drop drop) throws SQLException {
        for (int i = ddl.size() - 1; i >= 0; i--) {
            Optional<ResolvedTable> table = journaledTable(session, ddl.get(i));
            if (table.isPresent() && onItsTable(session, table.get(), ddl.get(i))) {
                session.dialect.tableLocks().beforeDdl(session.connection, table.get(), session.settings.lockTimeout());
                for (String statement : session.dialect.beforeDrop(session.connection, table.get(), ddl.get(i).objectName())) {
                    session.db.execute(statement);
                }
                drop.run(ddl.get(i).undoStatement());
            }
        }
    }

    /** Runs the journaled DDL whose object is missing; returns how many it created. */
    static int createMissing(Session session, String migrationId) throws SQLException {
        int created = 0;
        for (JournalEntry ddl : ddlOf(session, migrationId)) {
            if (createIfMissing(session, ddl)) {
                created++;
            }
        }
        return created;
    }

    /** After a failed data transaction: creates again what was dropped, trying every object, keeping failures with {@code cause}. */
    static void recreateMissing(Session session, List<JournalEntry> ddl, Exception cause) {
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

    /** The journaled DDL objects of a migration that do not exist, or empty when that cannot be checked (the connection is gone). */
    static Optional<List<String>> missingObjects(Session session, String migrationId) {
        try {
            List<String> missing = new ArrayList<>();
            for (JournalEntry ddl : ddlOf(session, migrationId)) {
                if (!objectExists(session, ddl) && !missing.contains(ddl.objectName())) {
                    missing.add(ddl.objectName());
                }
            }
            return Optional.of(missing);
        } catch (SQLException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static boolean objectExists(Session session, JournalEntry ddl) throws SQLException {
        Optional<ResolvedTable> table = journaledTable(session, ddl);
        return table.isPresent() && onItsTable(session, table.get(), ddl);
    }

    /**
     * Whether the journaled object exists on its table. Where a schema shares one namespace among indexes (PostgreSQL),
     * the name may be taken on another table meanwhile: that object is not the run's, and dropping it would remove a
     * user's index.
     */
    private static boolean onItsTable(Session session, ResolvedTable table, JournalEntry ddl) throws SQLException {
        return session.catalog.objectNamed(table, ddl.objectName()).filter(o -> !o.isOtherObject() && o.table().equals(table.name())).isPresent();
    }

    private static Optional<ResolvedTable> journaledTable(Session session, JournalEntry ddl) throws SQLException {
        return session.catalog.table(new TableName(Optional.ofNullable(ddl.tableSchema()), ddl.tableName()));
    }

    private static List<JournalEntry> ddlOf(Session session, String migrationId) {
        return session.journal.of(migrationId).entries(JournalKind.DDL);
    }
}
