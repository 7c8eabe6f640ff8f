package com.example.safemigrate;

import com.google.inject.Inject;
import dev.safemigrate.core.spi.Catalog;
import dev.safemigrate.core.spi.CheckPolicy;
import dev.safemigrate.core.spi.DatabaseInfo;
import dev.safemigrate.core.spi.Dialect;
import dev.safemigrate.core.spi.MigrationLock;
import dev.safemigrate.core.spi.StandardSql;
import dev.safemigrate.core.spi.TableLocks;
import dev.safemigrate.dialect.h2.H2Dialect;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * H2 2.x opened in {@code MODE=STRICT}, which accepts only standard SQL. Everything the database does
 * is H2's, so this wraps {@link H2Dialect} (injected by Guice) and keeps its own name and SQL; a
 * dialect for another compatibility mode would override the {@link StandardSql} statements that mode
 * rejects.
 */
public final class H2StrictDialect implements Dialect {
    public static final String NAME = "h2-strict";

    private final H2Dialect h2;
    private final StandardSql sql = new StandardSql(this);

    @Inject
    H2StrictDialect(H2Dialect h2) {
        this.h2 = h2;
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Never detected: the driver reports "H2" whatever the mode, so claiming it would make detection
     * ambiguous with the {@code h2} dialect. Choose it with {@code SafeMigrate.builder().dialect("h2-strict")}.
     */
    @Override
    public boolean handles(DatabaseInfo info) {
        return false;
    }

    @Override
    public void checkSupported(DatabaseInfo info) {
        h2.checkSupported(info);
    }

    @Override
    public boolean supportsTransactionalDdl() {
        return h2.supportsTransactionalDdl();
    }

    @Override
    public boolean supportsNullsNotDistinct(DatabaseInfo info) {
        return h2.supportsNullsNotDistinct(info);
    }

    @Override
    public String quote(String identifier) {
        return h2.quote(identifier);
    }

    @Override
    public Catalog catalog(Connection connection) throws SQLException {
        return h2.catalog(connection);
    }

    @Override
    public MigrationLock migrationLock() {
        return h2.migrationLock();
    }

    @Override
    public TableLocks tableLocks() {
        return h2.tableLocks();
    }

    @Override
    public StandardSql sql() {
        return sql;
    }

    /** H2's own: the mode changes the syntax H2 accepts, not what its functions do. */
    @Override
    public CheckPolicy checkPolicy() {
        return h2.checkPolicy();
    }
}
