package dev.safemigrate.core.spi;

import dev.safemigrate.core.sql.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/**
 * Everything safemigrate needs to know about one database: how to recognise it, its capabilities, how to
 * quote names, read the catalog, lock, create the bookkeeping tables, and the SQL of each step. Capabilities
 * default to false; core never asks which database it is talking to. A dialect may also contribute execution
 * strategies of its own ({@link StrategyModule}).
 */
public interface Dialect {
    /** Short name, as {@code --dialect} and the history know it: {@code h2}, {@code postgresql}, {@code mysql}. */
    String name();

    /**
     * Whether this dialect is the one for the live database: a read-only probe of {@code connection} where the
     * driver's {@code info} is not enough (a cluster or a compatibility mode that reports itself as the server it
     * imitates). Detection tries dialects in descending {@link #specificity}.
     */
    boolean matches(Connection connection, DatabaseInfo info) throws SQLException;

    /**
     * How specific {@link #matches} is: a dialect for a flavour of a server (a cluster, a mode) outranks the
     * server's own dialect (0), which also matches it. Two matching dialects of the same specificity are ambiguous.
     */
    default int specificity() {
        return 0;
    }

    /**
     * Throws a {@code SafeMigrateException} (exit 2) when the server version is not supported. Also asked of a
     * dialect chosen by name, which its probe may not match: it must then refuse a server of another product.
     */
    default void checkSupported(DatabaseInfo info) {
    }

    /** DDL can be rolled back with the transaction it ran in (PostgreSQL); false where DDL commits. */
    default boolean supportsTransactionalDdl() {
        return false;
    }

    /**
     * A foreign key is checked as each row is written (MySQL, MariaDB, H2), not at the end of the statement
     * (PostgreSQL): rows that reference each other must then be put back parents first.
     */
    default boolean checksForeignKeysPerRow() {
        return true;
    }

    /** A unique constraint can treat NULLs as equal ({@code NULLS NOT DISTINCT}). */
    default boolean supportsNullsNotDistinct(DatabaseInfo info) {
        return false;
    }

    /** Quotes one identifier, exactly as the catalog spells it. */
    String quote(String identifier);

    /** Reads tables, keys and constraints through {@code connection}. */
    Catalog catalog(Connection connection) throws SQLException;

    /** The one-run-at-a-time lock. */
    MigrationLock migrationLock();

    /**
     * {@link #tableLocks} hold writers off on the node the run is connected to only, not on the other nodes of a
     * cluster that write the same tables (MariaDB Galera): strategies that rely on them to keep writers out refuse.
     */
    default boolean tableLocksHoldOneNodeOnly() {
        return false;
    }

    /** How writers are kept out of the touched tables while a run is in progress. */
    default TableLocks tableLocks() {
        return TableLocks.NONE;
    }

    /**
     * Statements to run before a journaled undo drops {@code objectName} from {@code table}, decided from the
     * catalog as it is then (the undo was written before the object existed and may run much later): what the
     * database would otherwise refuse the drop for. Nothing by default.
     */
    default List<String> beforeDrop(Connection connection, ResolvedTable table, String objectName) throws SQLException {
        return List.of();
    }

    /** A guard that keeps new duplicates out of a live table while a run cleans it, where the database can have one. */
    default java.util.Optional<KeyGuard> keyGuard() {
        return java.util.Optional.empty();
    }

    /** Online DDL and lock waits for {@code mode: online} (with {@link #keyGuard}), where the database can do it. */
    default java.util.Optional<OnlineDdl> onlineDdl() {
        return java.util.Optional.empty();
    }

    /**
     * Statements that create the history and journal tables if they are missing, safe to repeat (see
     * {@code BookkeepingSql.tables} for the columns, in the dialect's types).
     */
    List<String> bookkeepingTables();

    /**
     * Binds a time the history records. A dialect whose driver drops fractions of a second overrides it: runs
     * applied within one second must keep their order (undo refuses while a later run changed its tables).
     */
    default void bindHistoryTime(PreparedStatement statement, int index, Instant time) throws SQLException {
        statement.setTimestamp(index, Timestamp.from(time));
    }

    /** The SQL for each step, by concern; {@link Sql#standard} where nothing differs. */
    Sql sql();

    /**
     * What a user check may use here beyond {@link CheckSql}'s text rules. The default allows only
     * standard SQL functions and no views; a dialect that knows its database says more.
     */
    default CheckPolicy checkPolicy() {
        return CheckPolicy.STANDARD;
    }
}
