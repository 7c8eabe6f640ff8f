package dev.safemigrate.dialect.mysql;

import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.spi.Catalog;
import dev.safemigrate.core.spi.CheckPolicy;
import dev.safemigrate.core.spi.DatabaseInfo;
import dev.safemigrate.core.spi.Dialect;
import dev.safemigrate.core.spi.KeyGuard;
import dev.safemigrate.core.spi.MigrationLock;
import dev.safemigrate.core.spi.OnlineDdl;
import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.spi.TableLocks;
import dev.safemigrate.core.sql.BookkeepingSql;
import dev.safemigrate.core.sql.Sql;
import com.mysql.cj.MysqlConnection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * MySQL 8.0+ and MariaDB 10.2+ (window functions), through MySQL Connector/J. Every DDL statement
 * commits, so runs use the compensating strategy, with writers kept out by {@code LOCK TABLES} for the
 * whole run and one run at a time by {@code GET_LOCK}. A "schema" in a rules file is a MySQL database.
 */
public final class MysqlDialect implements Dialect {
    public static final String NAME = "mysql";
    private static final DateTimeFormatter HISTORY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
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

    /**
     * Connector/J drops the fraction of a second of every time it binds for MariaDB 10, whose version string
     * ({@code 5.5.5-10.x}) it takes for a server older than fractional seconds (measured: .123456 sent as .0), so
     * the time goes as text, rendered in the zone Connector/J itself renders and reads timestamps in.
     */
    @Override
    public void bindHistoryTime(PreparedStatement statement, int index, Instant time) throws SQLException {
        Connection connection = statement.getConnection();
        if (!connection.isWrapperFor(MysqlConnection.class)) {
            statement.setTimestamp(index, Timestamp.from(time));
            return;
        }
        ZoneId zone = connection.unwrap(MysqlConnection.class).getSession().getServerSession().getDefaultTimeZone().toZoneId();
        statement.setString(index, LocalDateTime.ofInstant(time, zone).format(HISTORY_TIME));
    }

    /** Each foreign key that only the index being dropped serves gets an index of its own first (see {@link ForeignKeyIndexes}). */
    @Override
    public List<String> beforeDrop(Connection connection, ResolvedTable table, String objectName) throws SQLException {
        return ForeignKeyIndexes.beforeDrop(new MysqlCatalog(connection), sql.syntax(), table, objectName);
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
