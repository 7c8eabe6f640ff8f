package dev.safemigrate.dialect.mysql;

import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.spi.Catalog;
import dev.safemigrate.core.spi.Dialect;
import dev.safemigrate.core.jdbc.LockRetry;
import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.spi.TableLocks;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Keeps writers out with {@code LOCK TABLES ... WRITE} from before the data transaction until the
 * run ends, across its commit and the DDL that follows. Under {@code LOCK TABLES} a session may only
 * use the tables it locked, under the names and aliases it locked them with, so every table of the
 * run is locked under its name and under each alias of {@link MysqlSql#ALIAS_PREFIXES}, and every table a user check
 * reads ({@link CheckTables}) under the name or alias the check uses. Check-only tables and aliases
 * are locked {@code READ}: other sessions may still read them, and writers to a table the run does not
 * change wait only for the run.
 *
 * <p>A waiting {@code LOCK TABLES} makes every later reader and writer of those tables queue behind it, so
 * each attempt waits at most {@link LockRetry#SLICE} and is retried with pauses until {@code --lock-timeout}.
 * MariaDB counts {@code WAIT n} and {@code lock_wait_timeout} in whole seconds ({@code WAIT 0.100} is {@code NOWAIT},
 * which beside steady writers hardly ever finds the tables free), so its attempt is cut at the slice by
 * {@code max_statement_time} instead; MySQL has neither, and its slice is one second.
 *
 * <p>This works with JDBC transactions because Connector/J's {@code setAutoCommit(false)} sends
 * {@code SET autocommit=0}, and {@code COMMIT} and {@code ROLLBACK} keep table locks; only
 * {@code START TRANSACTION}, {@code UNLOCK TABLES} or the end of the session release them.
 */
final class MysqlTableLocks implements TableLocks {
    private static final int LOCK_WAIT_TIMEOUT = 1205;

    private final Dialect dialect;

    MysqlTableLocks(Dialect dialect) {
        this.dialect = dialect;
    }

    @Override
    public Release lock(Connection connection, List<ResolvedTable> written, List<ResolvedTable> read, List<String> checks, Duration timeout)
            throws SQLException {
        refuseGaleraNode(connection);
        String statement = lockStatement(written, read, checkTables(connection, checks));
        boolean mariaDb = connection.getMetaData().getDatabaseProductVersion().toLowerCase(Locale.ROOT).contains("mariadb");
        long previousTimeout = sessionLockWaitTimeout(connection);
        try (Statement s = connection.createStatement()) {
            if (!mariaDb) {
                // MySQL counts this wait in whole seconds and has no WAIT clause here: its slice is one second.
                s.execute("SET SESSION lock_wait_timeout = 1");
            }
            try {
                LockRetry.acquire("the run's tables (" + statement + ")", timeout, slice -> {
                    try {
                        s.execute(mariaDb ? MysqlOnlineDdl.boundedWait(slice, statement) : statement);
                        return true;
                    } catch (SQLException e) {
                        if (e.getErrorCode() != LOCK_WAIT_TIMEOUT && e.getErrorCode() != MysqlOnlineDdl.STATEMENT_TIMEOUT) {
                            throw e;
                        }
                        return false;
                    }
                });
            } finally {
                if (!mariaDb) {
                    s.execute("SET SESSION lock_wait_timeout = " + previousTimeout);
                }
            }
        }
        return () -> {
            if (!connection.isClosed()) {
                try (Statement s = connection.createStatement()) {
                    s.execute("UNLOCK TABLES");
                }
            }
        };
    }

    /**
     * On a Galera node {@code LOCK TABLES} holds this node only, and once a write from another node queues behind it,
     * the holder's own next write waits forever (docs/galera-notes.md, section 1): never taken there. {@code SHOW
     * VARIABLES} answers with no row where there is no wsrep (MySQL), rather than an error.
     */
    private static void refuseGaleraNode(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SHOW SESSION VARIABLES LIKE 'wsrep_on'")) {
            if (rs.next() && "ON".equalsIgnoreCase(rs.getString(2))) {
                throw SafeMigrateException.refused("this server is a node of a Galera cluster (wsrep_on = ON): LOCK TABLES would hold writers off"
                        + " on this node only and can wedge it, so the mysql dialect does not run here; use the galera dialect (dialect-galera,"
                        + " --dialect galera)");
            }
        }
    }

    /** A table a check reads, resolved in the catalog, and the name (alias or its own) the check reads it under. */
    record CheckTable(ResolvedTable table, String lockName) {
    }

    /** Resolves every table the checks read; a table the catalog does not know refuses the run before anything is locked. */
    private List<CheckTable> checkTables(Connection connection, List<String> checks) throws SQLException {
        Catalog catalog = dialect.catalog(connection);
        String database = connection.getCatalog();
        List<CheckTable> tables = new ArrayList<>();
        for (String check : checks) {
            for (CheckTables.Reference ref : CheckTables.of(check)) {
                if (ref.schema() != null && isSystemSchema(ref.schema())) {
                    continue;
                }
                Optional<ResolvedTable> found = catalog.table(tableName(ref, check));
                if (found.isEmpty()) {
                    throw SafeMigrateException.refused("the check (" + check + ") reads " + (ref.schema() == null ? "" : ref.schema() + ".")
                            + ref.name() + ", which is not a table in this database; on MySQL/MariaDB every table a check reads is"
                            + " locked for the run, so it must exist");
                }
                ResolvedTable table = found.get();
                if (table.schema() != null && table.schema().equalsIgnoreCase(database)) {
                    table = new ResolvedTable(null, table.name(), table.columns(), table.primaryKey());
                }
                tables.add(new CheckTable(table, ref.alias() != null ? ref.alias() : table.name()));
            }
        }
        return tables;
    }

    private static TableName tableName(CheckTables.Reference ref, String check) {
        try {
            return new TableName(Optional.ofNullable(ref.schema()), ref.name());
        } catch (SafeMigrateException e) {
            throw SafeMigrateException.refused("the check (" + check + ") reads a table safemigrate cannot lock: " + e.getMessage());
        }
    }

    /** Schemas whose tables {@code LOCK TABLES} neither needs nor accepts. */
    private static boolean isSystemSchema(String schema) {
        String s = schema.toLowerCase(Locale.ROOT);
        return s.equals("information_schema") || s.equals("performance_schema");
    }

    /**
     * Every run table under its own name and the aliases of {@link MysqlSql#ALIAS_PREFIXES} ({@code WRITE}), then every
     * name a check reads a table under that is not locked yet ({@code READ}); sorted by table so that
     * concurrent runs lock in the same order. One name may stand for only one table in a lock, so a
     * check alias that another table already uses refuses the run.
     */
    String lockStatement(List<ResolvedTable> written, List<ResolvedTable> read, List<CheckTable> checkTables) {
        Map<String, List<String>> itemsByTable = new TreeMap<>();
        Map<String, String> tableByName = new HashMap<>();
        List<ResolvedTable> runTables = new ArrayList<>(written);
        runTables.addAll(read);
        for (ResolvedTable table : runTables) {
            if (!itemsByTable.containsKey(key(table))) {
                String name = dialect.sql().syntax().table(table);
                List<String> items = new ArrayList<>(List.of(name + " WRITE"));
                tableByName.put(lower(table.name()), key(table));
                for (String prefix : MysqlSql.ALIAS_PREFIXES) {
                    items.add(name + " AS " + dialect.quote(prefix + table.name()) + " WRITE");
                    tableByName.put(lower(prefix + table.name()), key(table));
                }
                itemsByTable.put(key(table), items);
            }
        }
        for (CheckTable check : checkTables) {
            String owner = tableByName.putIfAbsent(lower(check.lockName()), key(check.table()));
            if (owner != null && !owner.equals(key(check.table()))) {
                throw SafeMigrateException.refused("a check reads " + check.table() + " as " + check.lockName() + ", a name that also stands for "
                        + owner + " in this run; MySQL/MariaDB can lock a name for only one table, so give it another alias");
            }
            if (owner == null) {
                String name = dialect.sql().syntax().table(check.table());
                boolean alias = !check.lockName().equals(check.table().name());
                itemsByTable.computeIfAbsent(key(check.table()), k -> new ArrayList<>())
                        .add(name + (alias ? " AS " + dialect.quote(check.lockName()) : "") + " READ");
            }
        }
        List<String> items = new ArrayList<>();
        itemsByTable.values().forEach(items::addAll);
        return "LOCK TABLES " + String.join(", ", items);
    }

    private static String key(ResolvedTable table) {
        return (table.schema() == null ? "" : table.schema() + ".") + table.name();
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private static long sessionLockWaitTimeout(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT @@SESSION.lock_wait_timeout")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
