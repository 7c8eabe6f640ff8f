package dev.safemigrate.dialect.galera;

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
import dev.safemigrate.core.sql.Sql;
import dev.safemigrate.dialect.mysql.MysqlDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A node of a MariaDB Galera cluster: MariaDB's SQL, catalog, checks and key guard (the MySQL dialect's), with
 * what a cluster needs instead of what holds one server only. {@code GET_LOCK} and {@code LOCK TABLES} act on
 * the connected node alone (docs/galera-notes.md, section 1), so the run lock is a lease row ({@link GaleraLease})
 * and writers are fenced by key guards on every node ({@link GaleraFencedStrategy}); no table locks are taken.
 * Chosen by probing the wsrep variables, ahead of the MySQL dialect, which also matches a node. Every method of
 * {@link Dialect} that the MySQL dialect answers is passed on to it, defaults included.
 */
public final class GaleraDialect implements Dialect {
    public static final String NAME = "galera";
    private final MysqlDialect mysql = new MysqlDialect();
    private final MigrationLock lease = new GaleraLease();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean matches(Connection connection, DatabaseInfo info) throws SQLException {
        return mysql.matches(connection, info) && Wsrep.read(connection).galera();
    }

    @Override
    public int specificity() {
        return 10;
    }

    /** The MySQL dialect's version rule; that the server is a ready node is checked when planning ({@link Wsrep#whyNotReady}). */
    @Override
    public void checkSupported(DatabaseInfo info) {
        mysql.checkSupported(info);
    }

    @Override
    public boolean supportsTransactionalDdl() {
        return mysql.supportsTransactionalDdl();
    }

    @Override
    public boolean checksForeignKeysPerRow() {
        return mysql.checksForeignKeysPerRow();
    }

    @Override
    public boolean supportsNullsNotDistinct(DatabaseInfo info) {
        return mysql.supportsNullsNotDistinct(info);
    }

    @Override
    public String quote(String identifier) {
        return mysql.quote(identifier);
    }

    /**
     * The session reads causally ({@code wsrep_sync_wait = 1}): each read first waits until this node has applied
     * everything the cluster committed before it, so the history, the journal and the data transaction see writes
     * made through other nodes (without it, 9 to 30 reads in 100 missed a commit made just before on another node).
     * A node outside the primary component is refused first (exit 3): there every causal read would wait in vain and
     * fail with a lock wait timeout (exit 1, "database error", before this check).
     */
    @Override
    public Catalog catalog(Connection connection) throws SQLException {
        Optional<String> outside = Wsrep.read(connection).outsidePrimary();
        if (outside.isPresent()) {
            throw SafeMigrateException.refused(outside.get());
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET SESSION wsrep_sync_wait = 1");
        }
        return mysql.catalog(connection);
    }

    @Override
    public MigrationLock migrationLock() {
        return lease;
    }

    @Override
    public boolean tableLocksHoldOneNodeOnly() {
        return true;
    }

    /** None: the fence is the key guard, installed by the strategy. */
    @Override
    public TableLocks tableLocks() {
        return TableLocks.NONE;
    }

    @Override
    public Optional<KeyGuard> keyGuard() {
        return mysql.keyGuard();
    }

    /**
     * None: {@code mode: online} is not built for Galera (its chunks would need the cluster-wide fence per chunk,
     * and a unique key built with LOCK=NONE on one node is replicated in total order anyway), so plan refuses it.
     */
    @Override
    public Optional<OnlineDdl> onlineDdl() {
        return Optional.empty();
    }

    @Override
    public List<String> bookkeepingTables() {
        return mysql.bookkeepingTables();
    }

    @Override
    public void bindHistoryTime(PreparedStatement statement, int index, Instant time) throws SQLException {
        mysql.bindHistoryTime(statement, index, time);
    }

    @Override
    public List<String> beforeDrop(Connection connection, ResolvedTable table, String objectName) throws SQLException {
        return mysql.beforeDrop(connection, table, objectName);
    }

    @Override
    public Sql sql() {
        return mysql.sql();
    }

    @Override
    public CheckPolicy checkPolicy() {
        return mysql.checkPolicy();
    }
}
