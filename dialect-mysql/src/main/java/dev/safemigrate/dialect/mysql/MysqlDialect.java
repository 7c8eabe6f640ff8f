package dev.safemigrate.dialect.mysql;

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
import java.util.Locale;

/**
 * MySQL 8.0+ and MariaDB 10.2+ (window functions), through MySQL Connector/J. Every DDL statement
 * commits, so runs use the compensating strategy, with writers kept out by {@code LOCK TABLES} for the
 * whole run and one run at a time by {@code GET_LOCK}. A "schema" in a rules file is a MySQL database.
 */
public final class MysqlDialect implements Dialect {
    public static final String NAME = "mysql";
    private final Sql sql = MysqlSql.create(this::quote);
    private final CheckPolicy checkPolicy = new MysqlCheckPolicy();
    private final KeyGuard keyGuard = new MysqlKeyGuard(sql.syntax());
    private final OnlineDdl onlineDdl = new MysqlOnlineDdl(sql.syntax());

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean matches(Connection connection, DatabaseInfo info) {
        return isMysqlOrMariaDb(info);
    }

    private static boolean isMysqlOrMariaDb(DatabaseInfo info) {
        String product = info.productName() == null ? "" : info.productName().toLowerCase(Locale.ROOT);
        return product.contains("mysql") || product.contains("mariadb");
    }

    @Override
    public void checkSupported(DatabaseInfo info) {
        if (!isMysqlOrMariaDb(info)) {
            throw SafeMigrateException.invalid("the " + name() + " dialect is for MySQL and MariaDB, not " + info);
        }
        ServerVersion version = ServerVersion.of(info);
        boolean supported = version.mariaDb() ? version.atLeast(10, 2) : version.atLeast(8, 0);
        if (!supported) {
            throw SafeMigrateException.invalid(version.product() + " " + info.productVersion() + " is not supported; safemigrate needs "
                    + (version.mariaDb() ? "MariaDB 10.2" : "MySQL 8.0") + " or later (window functions)");
        }
    }

    @Override
    public String quote(String identifier) {
        return '`' + identifier.replace("`", "``") + '`';
    }

    @Override
    public Catalog catalog(Connection connection) {
        return new MysqlCatalog(connection);
    }

    @Override
    public MigrationLock migrationLock() {
        return new MysqlNamedLock();
    }

    @Override
    public TableLocks tableLocks() {
        return new MysqlTableLocks(this);
    }

    /** Ids compare byte for byte and times keep microseconds (see {@link BookkeepingSql#tables}). */
    @Override
    public List<String> bookkeepingTables() {
        return BookkeepingSql.tables("VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin", "MEDIUMTEXT", "TIMESTAMP(6)", " CHARACTER SET utf8mb4");
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
