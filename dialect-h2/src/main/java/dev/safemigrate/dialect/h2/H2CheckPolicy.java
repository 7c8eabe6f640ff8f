package dev.safemigrate.dialect.h2;

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
 * What a check may use on H2, which has no read-only transaction (its {@code setReadOnly} is a hint)
 * and whose file functions act outside any transaction: so this is the defence. Built-ins with effects
 * are listed here; every user routine (a Java alias or aggregate: it can do anything) is refused, as is
 * every table not stored by H2 itself (a linked table reads another database, a table engine runs
 * Java); view definitions and domain checks are followed. Data-change delta tables ({@code OLD TABLE (DELETE ...)}) and
 * {@code NEXT VALUE FOR} are refused by {@link CheckSql}'s words.
 */
final class H2CheckPolicy implements CheckPolicy {
    private static final Map<String, String> BUILT_INS = builtIns();

    private static Map<String, String> builtIns() {
        Map<String, String> functions = new LinkedHashMap<>();
        functions.put("file_write", "writes a file");
        functions.put("csvwrite", "writes a file");
        functions.put("file_read", "reads a file");
        functions.put("csvread", "reads a file");
        functions.put("link_schema", "creates linked tables to another database");
        functions.put("set", "sets a session variable");
        for (String name : List.of("nextval", "setval", "currval", "lastval")) {
            functions.put(name, "advances or reads a sequence (compatibility modes), which no rollback undoes");
        }
        functions.put("cancel_session", "cancels another session's statement");
        functions.put("abort_session", "ends another session");
        return Map.copyOf(functions);
    }

    @Override
    public List<String> refusals(CheckSql check, Connection connection) throws SQLException {
        List<String> refusals = new ArrayList<>(CheckCatalog.deniedCalls(check, BUILT_INS));
        List<String> called = CheckCatalog.upperCase(check.functionCalls());
        for (List<String> row : CheckCatalog.rows(connection, "SELECT DISTINCT ROUTINE_SCHEMA, ROUTINE_NAME, ROUTINE_TYPE"
                + " FROM INFORMATION_SCHEMA.ROUTINES WHERE UPPER(ROUTINE_NAME) IN (" + CheckCatalog.marks(called) + ") ORDER BY 1, 2", called)) {
            refusals.add("calls the user routine " + row.get(0) + "." + row.get(1) + " (a " + row.get(2).toLowerCase(java.util.Locale.ROOT)
                    + " backed by Java code can do anything)");
        }
        List<String> names = CheckCatalog.upperCase(check.names());
        for (List<String> row : CheckCatalog.rows(connection, "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_CLASS FROM INFORMATION_SCHEMA.TABLES"
                + " WHERE UPPER(TABLE_NAME) IN (" + CheckCatalog.marks(names) + ") AND TABLE_TYPE <> 'VIEW'"
                + " AND TABLE_SCHEMA <> 'INFORMATION_SCHEMA' AND TABLE_CLASS <> 'org.h2.mvstore.db.MVTable' ORDER BY 1, 2", names)) {
            refusals.add("reads " + row.get(0) + "." + row.get(1) + ", a table H2 does not store itself (" + row.get(2)
                    + "): reading it may reach another database or run Java code");
        }
        return refusals;
    }

    /** Every user view, and every domain's check (run by a cast to it), whose name the check contains, in any schema. */
    @Override
    public Map<String, String> definitions(CheckSql check, Connection connection) throws SQLException {
        List<String> names = CheckCatalog.upperCase(check.names());
        List<String> twice = new ArrayList<>(names);
        twice.addAll(names);
        Map<String, String> definitions = new LinkedHashMap<>();
        for (List<String> row : CheckCatalog.rows(connection, "SELECT 'view ' || TABLE_SCHEMA || '.' || TABLE_NAME, VIEW_DEFINITION"
                + " FROM INFORMATION_SCHEMA.VIEWS WHERE UPPER(TABLE_NAME) IN (" + CheckCatalog.marks(names) + ") AND TABLE_SCHEMA <> 'INFORMATION_SCHEMA'"
                + " UNION ALL SELECT 'the check of domain ' || d.DOMAIN_SCHEMA || '.' || d.DOMAIN_NAME, 'SELECT ' || c.CHECK_CLAUSE"
                + " FROM INFORMATION_SCHEMA.DOMAIN_CONSTRAINTS d JOIN INFORMATION_SCHEMA.CHECK_CONSTRAINTS c"
                + " ON c.CONSTRAINT_SCHEMA = d.CONSTRAINT_SCHEMA AND c.CONSTRAINT_NAME = d.CONSTRAINT_NAME"
                + " WHERE UPPER(d.DOMAIN_NAME) IN (" + CheckCatalog.marks(names) + ") ORDER BY 1", twice)) {
            definitions.put(row.get(0), row.get(1) == null ? "" : row.get(1));
        }
        return definitions;
    }
}
