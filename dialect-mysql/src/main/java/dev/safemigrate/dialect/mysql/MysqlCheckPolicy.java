package dev.safemigrate.dialect.mysql;

import dev.safemigrate.core.spi.CheckCatalog;
import dev.safemigrate.core.spi.CheckPolicy;
import dev.safemigrate.core.spi.CheckSql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a check may use on MySQL and MariaDB. The catalog does not say which built-in functions have
 * effects, so those are listed here; every stored function and every loadable function (mysql.func,
 * when the user can read it) is refused, since it can do anything; tables whose engine reaches another
 * server or the file system (FEDERATED, CONNECT, SPIDER) are refused; and view definitions are followed.
 * A READ ONLY transaction stops writes outside a run, but not named locks or user variables, and inside
 * a run there is only the savepoint, so this list is the defence there.
 */
final class MysqlCheckPolicy implements CheckPolicy {
    private static final Map<String, String> BUILT_INS = builtIns();
    /** Engines whose tables are read from another server or from files outside the database. */
    private static final String REMOTE_ENGINES = "'FEDERATED', 'FEDERATEDX', 'CONNECT', 'SPIDER'";

    private static Map<String, String> builtIns() {
        Map<String, String> functions = new LinkedHashMap<>();
        for (String name : List.of("get_lock", "release_lock", "release_all_locks", "service_get_read_locks", "service_get_write_locks",
                "service_release_locks", "version_tokens_lock_shared", "version_tokens_lock_exclusive", "version_tokens_unlock")) {
            functions.put(name, "takes or releases named locks (the run's own lock among them)");
        }
        for (String name : List.of("sleep", "benchmark")) {
            functions.put(name, "makes the check run long while the run holds its locks");
        }
        for (String name : List.of("master_pos_wait", "source_pos_wait", "master_gtid_wait", "wait_for_executed_gtid_set",
                "wait_until_sql_thread_after_gtids", "wsrep_sync_wait_upto_gtid")) {
            functions.put(name, "waits for replication while the run holds its locks");
        }
        for (String name : List.of("nextval", "setval", "lastval")) {
            functions.put(name, "advances or reads a sequence's session state, which no rollback undoes");
        }
        functions.put("last_insert_id", "sets the session's last insert id when given an argument");
        functions.put("load_file", "reads a file on the database server");
        for (String name : List.of("version_tokens_set", "version_tokens_edit", "version_tokens_delete")) {
            functions.put(name, "changes the server's version tokens");
        }
        return Map.copyOf(functions);
    }

    @Override
    public List<String> refusals(CheckSql check, Connection connection) throws SQLException {
        List<String> refusals = new ArrayList<>(CheckCatalog.deniedCalls(check, BUILT_INS));
        List<String> called = CheckCatalog.upperCase(check.functionCalls());
        String database = connection.getCatalog();
        for (List<String> row : CheckCatalog.rows(connection, "SELECT ROUTINE_SCHEMA, ROUTINE_NAME FROM information_schema.ROUTINES"
                + " WHERE ROUTINE_TYPE = 'FUNCTION' AND UPPER(ROUTINE_NAME) IN (" + CheckCatalog.marks(called) + ")", called)) {
            if (reachable(check.functionCalls(), row.get(0), row.get(1), database)) {
                refusals.add("calls the stored function " + row.get(0) + "." + row.get(1) + " (a stored function can do anything)");
            }
        }
        String funcVisible = "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'mysql' AND TABLE_NAME = 'func'";
        if (!CheckCatalog.rows(connection, funcVisible, List.of()).isEmpty()) {
            for (List<String> row : CheckCatalog.rows(connection, "SELECT name FROM mysql.func WHERE UPPER(name) IN ("
                    + CheckCatalog.marks(called) + ")", called)) {
                refusals.add("calls the loadable function " + row.get(0) + " (a loadable function can do anything)");
            }
        }
        List<String> names = CheckCatalog.upperCase(check.names());
        for (List<String> row : CheckCatalog.rows(connection, "SELECT TABLE_SCHEMA, TABLE_NAME, ENGINE FROM information_schema.TABLES"
                + " WHERE UPPER(TABLE_NAME) IN (" + CheckCatalog.marks(names) + ") AND UPPER(ENGINE) IN (" + REMOTE_ENGINES + ")", names)) {
            if (reachable(check.names(), row.get(0), row.get(1), database)) {
                refusals.add("reads " + row.get(0) + "." + row.get(1) + ", a " + row.get(2) + " table: reading it reaches another server or the file system");
            }
        }
        return refusals;
    }

    /**
     * Before a transaction starts: the next one is read-only (InnoDB then refuses writes, NEXTVAL and
     * stored functions that write, error 1792). Inside a transaction its characteristics cannot change
     * (error 1568), so the savepoint alone undoes what a check wrote there.
     */
    @Override
    public String readOnlyStatement(boolean ownTransaction) {
        return ownTransaction ? "SET TRANSACTION READ ONLY" : null;
    }

    /** The views the check may read, in its database or the one it names. */
    @Override
    public Map<String, String> definitions(CheckSql check, Connection connection) throws SQLException {
        List<String> names = CheckCatalog.upperCase(check.names());
        Map<String, String> definitions = new LinkedHashMap<>();
        for (List<String> row : CheckCatalog.rows(connection, "SELECT TABLE_SCHEMA, TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS"
                + " WHERE UPPER(TABLE_NAME) IN (" + CheckCatalog.marks(names) + ") ORDER BY 1, 2", names)) {
            if (reachable(check.names(), row.get(0), row.get(1), connection.getCatalog())) {
                // Empty without the SHOW VIEW privilege: then CheckSql refuses it as not a SELECT.
                definitions.put("view " + row.get(0) + "." + row.get(1), row.get(2) == null ? "" : row.get(2));
            }
        }
        return definitions;
    }

    /** Whether one of {@code names} reaches {@code schema.name}: qualified with that schema, or unqualified in the current database. */
    private static boolean reachable(List<CheckSql.Name> names, String schema, String name, String database) {
        return names.stream().anyMatch(n -> n.name().equalsIgnoreCase(name)
                && (n.qualifier() == null ? schema.equalsIgnoreCase(database) : n.qualifier().equalsIgnoreCase(schema)));
    }
}
