package dev.safemigrate.dialect.postgres;

import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.spi.Catalog;
import dev.safemigrate.core.spi.CheckPolicy;
import dev.safemigrate.core.spi.DatabaseInfo;
import dev.safemigrate.core.spi.Dialect;
import dev.safemigrate.core.spi.MigrationLock;
import dev.safemigrate.core.spi.StandardSql;
import dev.safemigrate.core.spi.TableLocks;
import java.sql.Connection;

/**
 * PostgreSQL 10 and later. DDL is transactional, so a whole migration (locks, archive, DML, checks,
 * {@code ADD CONSTRAINT}, history) is one transaction: any error, lost connection or killed process
 * leaves nothing changed. {@code NULLS NOT DISTINCT} unique constraints exist from PostgreSQL 15.
 */
public final class PostgresDialect implements Dialect {
    public static final String NAME = "postgresql";
    private static final int OLDEST_SUPPORTED = 10;

    private final StandardSql sql = new PostgresSql(this);
    private final CheckPolicy checkPolicy = new PostgresCheckPolicy();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean handles(DatabaseInfo info) {
        return "PostgreSQL".equals(info.productName());
    }

    @Override
    public void checkSupported(DatabaseInfo info) {
        if (info.majorVersion() < OLDEST_SUPPORTED) {
            throw SafeMigrateException.invalid("PostgreSQL " + info.productVersion() + " is not supported; safemigrate needs PostgreSQL "
                    + OLDEST_SUPPORTED + " or later");
        }
    }

    @Override
    public boolean supportsTransactionalDdl() {
        return true;
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
    public StandardSql sql() {
        return sql;
    }

    @Override
    public CheckPolicy checkPolicy() {
        return checkPolicy;
    }
}
