package dev.safemigrate.core.kit;

import dev.safemigrate.core.spi.Catalog;
import dev.safemigrate.core.spi.CheckPolicy;
import dev.safemigrate.core.spi.CheckSql;
import dev.safemigrate.core.spi.DatabaseInfo;
import dev.safemigrate.core.spi.Dialect;
import dev.safemigrate.core.spi.MigrationLock;
import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.spi.TableLocks;
import dev.safemigrate.core.sql.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * A dialect exactly like the one it wraps except that its check policy refuses nothing, so a test can
 * prove what the runtime defences alone do with a check that writes (read-only transactions,
 * savepoints rolled back). Never detected; registered by each dialect module's tests as
 * {@code <name>-unguarded} and chosen with {@code SafeMigrate.builder().dialect(...)}.
 */
public final class UnguardedDialect implements Dialect {
    private final Dialect dialect;
    private final CheckPolicy policy;

    public UnguardedDialect(Dialect dialect) {
        this.dialect = dialect;
        this.policy = new CheckPolicy() {
            @Override
            public List<String> refusals(CheckSql check, Connection connection) {
                return List.of();
            }

            @Override
            public String readOnlyStatement(boolean ownTransaction) {
                return dialect.checkPolicy().readOnlyStatement(ownTransaction);
            }
        };
    }

    @Override
    public String name() {
        return dialect.name() + "-unguarded";
    }

    @Override
    public boolean matches(Connection connection, DatabaseInfo info) {
        return false;
    }

    @Override
    public boolean supportsTransactionalDdl() {
        return dialect.supportsTransactionalDdl();
    }

    @Override
    public boolean supportsNullsNotDistinct(DatabaseInfo info) {
        return dialect.supportsNullsNotDistinct(info);
    }

    @Override
    public boolean checksForeignKeysPerRow() {
        return dialect.checksForeignKeysPerRow();
    }

    @Override
    public List<String> bookkeepingTables() {
        return dialect.bookkeepingTables();
    }

    @Override
    public String quote(String identifier) {
        return dialect.quote(identifier);
    }

    @Override
    public Catalog catalog(Connection connection) throws SQLException {
        return dialect.catalog(connection);
    }

    @Override
    public MigrationLock migrationLock() {
        return dialect.migrationLock();
    }

    @Override
    public TableLocks tableLocks() {
        return dialect.tableLocks();
    }

    @Override
    public List<String> beforeDrop(Connection connection, ResolvedTable table, String objectName) throws SQLException {
        return dialect.beforeDrop(connection, table, objectName);
    }

    @Override
    public Sql sql() {
        return dialect.sql();
    }

    @Override
    public CheckPolicy checkPolicy() {
        return policy;
    }
}
