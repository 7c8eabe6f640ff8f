package dev.safemigrate.dialect.h2;

import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.spi.Catalog;
import dev.safemigrate.core.spi.CheckPolicy;
import dev.safemigrate.core.spi.DatabaseInfo;
import dev.safemigrate.core.spi.Dialect;
import dev.safemigrate.core.jdbc.JdbcCatalog;
import dev.safemigrate.core.spi.MigrationLock;
import dev.safemigrate.core.sql.BookkeepingSql;
import dev.safemigrate.core.sql.Sql;
import java.sql.Connection;
import java.util.List;

/**
 * H2 2.x. Its DDL commits the open transaction (a DELETE, then ALTER TABLE ... ADD CONSTRAINT, then
 * ROLLBACK keeps the delete), so it runs the compensating strategy. Unique constraints accept
 * {@code NULLS NOT DISTINCT} since 2.2.
 */
public final class H2Dialect implements Dialect {
    public static final String NAME = "h2";
    private final Sql sql = H2Sql.create(this::quote);
    private final CheckPolicy checkPolicy = new H2CheckPolicy();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean matches(Connection connection, DatabaseInfo info) {
        return "H2".equals(info.productName());
    }

    @Override
    public void checkSupported(DatabaseInfo info) {
        if (!"H2".equals(info.productName())) {
            throw SafeMigrateException.invalid("the " + name() + " dialect is for H2, not " + info);
        }
        if (info.majorVersion() < 2) {
            throw SafeMigrateException.invalid("H2 " + info.productVersion() + " is not supported; safemigrate needs H2 2.x");
        }
    }

    @Override
    public boolean supportsNullsNotDistinct(DatabaseInfo info) {
        return info.majorVersion() > 2 || info.minorVersion() >= 2;
    }

    @Override
    public String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @Override
    public Catalog catalog(Connection connection) {
        return new JdbcCatalog(connection, false);
    }

    @Override
    public MigrationLock migrationLock() {
        return new H2LockRow();
    }

    @Override
    public List<String> bookkeepingTables() {
        return BookkeepingSql.tables("VARCHAR(128)", "CLOB", "TIMESTAMP", "");
    }

    @Override
    public Sql sql() {
        return sql;
    }

    @Override
    public CheckPolicy checkPolicy() {
        return checkPolicy;
    }
}
