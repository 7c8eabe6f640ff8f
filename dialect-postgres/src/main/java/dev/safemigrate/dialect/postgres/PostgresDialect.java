package dev.safemigrate.dialect.postgres;

import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.spi.Catalog;
import dev.safemigrate.core.spi.CheckPolicy;
import dev.safemigrate.core.spi.DatabaseInfo;
import dev.safemigrate.core.spi.Dialect;
import dev.safemigrate.core.spi.KeyGuard;
import dev.safemigrate.core.spi.MigrationLock;
import dev.safemigrate.core.spi.OnlineDdl;
import dev.safemigrate.core.spi.TableLocks;
import dev.safemigrate.core.sql.BookkeepingSql;
import dev.safemigrate.core.sql.Sql;
import java.sql.Connection;
import java.util.List;

/**
 * PostgreSQL 10 and later. DDL is transactional, so a whole migration (locks, archive, DML, checks,
 * {@code ADD CONSTRAINT}, history) is one transaction: any error, lost connection or killed process
 * leaves nothing changed. {@code NULLS NOT DISTINCT} unique constraints exist from PostgreSQL 15.
 */
public final class PostgresDialect implements Dialect {
    public static final String NAME = "postgresql";
    private static final int OLDEST_SUPPORTED = 10;

    private final Sql sql = PostgresSql.create(this::quote);
    private final CheckPolicy checkPolicy = new PostgresCheckPolicy();
    private final KeyGuard keyGuard = new PostgresKeyGuard(sql.syntax());
    private final OnlineDdl onlineDdl = new PostgresOnlineDdl(sql.syntax());

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean matches(Connection connection, DatabaseInfo info) {
        return "PostgreSQL".equals(info.productName());
    }

    @Override
    public void checkSupported(DatabaseInfo info) {
        if (!"PostgreSQL".equals(info.productName())) {
            throw SafeMigrateException.invalid("the " + name() + " dialect is for PostgreSQL, not " + info);
        }
        if (info.majorVersion() < OLDEST_SUPPORTED) {
            throw SafeMigrateException.invalid("PostgreSQL " + info.productVersion() + " is not supported; safemigrate needs PostgreSQL "
                    + OLDEST_SUPPORTED + " or later");
        }
    }

    @Override
    public boolean supportsTransactionalDdl() {
        return true;
    }

    /** PostgreSQL checks non-deferred foreign keys at the end of each statement. */
    @Override
    public boolean checksForeignKeysPerRow() {
        return false;
    }

    @Override
    public boolean supportsNullsNotDistinct(DatabaseInfo info) {
        return info.majorVersion() >= 15;
    }

    @Override
    public String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @Override
    public Catalog catalog(Connection connection) {
        return new PostgresCatalog(connection);
    }

    @Override
    public MigrationLock migrationLock() {
        return new PostgresAdvisoryLock();
    }

    @Override
    public TableLocks tableLocks() {
        return new PostgresTableLocks(this);
    }

    @Override
    public List<String> bookkeepingTables() {
        return BookkeepingSql.tables("VARCHAR(128)", "TEXT", "TIMESTAMP", "");
    }

    @Override
    public Sql sql() {
        return sql;
    }

    @Override
    public java.util.Optional<KeyGuard> keyGuard() {
        return java.util.Optional.of(keyGuard);
    }

    @Override
    public java.util.Optional<OnlineDdl> onlineDdl() {
        return java.util.Optional.of(onlineDdl);
    }

    @Override
    public CheckPolicy checkPolicy() {
        return checkPolicy;
    }
}
