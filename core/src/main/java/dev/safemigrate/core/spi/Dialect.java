package dev.safemigrate.core.spi;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Everything safemigrate needs to know about one database: its capabilities, how to quote names,
 * how to read the catalog, how to lock, and the SQL for each step. Capabilities default to false;
 * core never asks which database it is talking to.
 */
public interface Dialect {
    /** Short name, also the MyBatis {@code databaseId}: {@code h2}, {@code postgresql}, {@code mysql}. */
    String name();

    /** Whether this dialect is the one for the server the driver describes. */
    boolean handles(DatabaseInfo info);

    /** Throws a {@code SafeMigrateException} (exit 2) when the server version is not supported. */
    default void checkSupported(DatabaseInfo info) {
    }

    /** DDL can be rolled back with the transaction it ran in (PostgreSQL); false where DDL commits. */
    default boolean supportsTransactionalDdl() {
        return false;
    }

    /** A unique constraint can treat NULLs as equal ({@code NULLS NOT DISTINCT}). */
    default boolean supportsNullsNotDistinct(DatabaseInfo info) {
        return false;
    }

    /**
     * {@code strategy: shadow_swap} can run here: {@link StandardSql}'s shadow-swap statements are
     * implemented, and renaming the table pair is one atomic statement while writers are held off.
     */
    default boolean supportsShadowSwap() {
        return false;
    }

    /** Quotes one identifier, exactly as the catalog spells it. */
    String quote(String identifier);

    /** Reads tables, keys and constraints through {@code connection}. */
    Catalog catalog(Connection connection) throws SQLException;

    /** The one-run-at-a-time lock. */
    MigrationLock migrationLock();

    /** How writers are kept out of the touched tables while a run is in progress. */
    default TableLocks tableLocks() {
        return TableLocks.NONE;
    }

    /** The SQL for each step. */
    StandardSql sql();

    /**
     * What a user check may use here beyond {@link CheckSql}'s text rules. The default allows only
     * standard SQL functions and no views; a dialect that knows its database says more.
     */
    default CheckPolicy checkPolicy() {
        return CheckPolicy.STANDARD;
    }
}
