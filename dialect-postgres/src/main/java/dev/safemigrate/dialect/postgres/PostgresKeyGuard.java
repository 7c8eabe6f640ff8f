package dev.safemigrate.dialect.postgres;

import dev.safemigrate.core.spi.KeyGuard;
import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.sql.SqlSyntax;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A {@code BEFORE INSERT OR UPDATE OF <key>} trigger whose function takes a transaction-level advisory lock
 * on the key's hash (so writers of one key value go one at a time, each seeing the others' committed rows:
 * PL/pgSQL takes a fresh snapshot per statement under READ COMMITTED) and raises {@code unique_violation}
 * when another row holds the key. The session setting {@code safemigrate.bypass} lets the run's own writes pass.
 * The function keeps the installing session's {@code search_path} ({@code SET search_path FROM CURRENT}): it names
 * the table as the run does, and a writer whose search path differs must still find it (measured: without it,
 * every insert of such a writer failed with "relation does not exist").
 */
final class PostgresKeyGuard implements KeyGuard {
    private static final String BYPASS = "safemigrate.bypass";

    private final SqlSyntax syntax;

    PostgresKeyGuard(SqlSyntax syntax) {
        this.syntax = syntax;
    }

    private String function(ResolvedTable table, String name) {
        return (table.schema() == null ? "" : syntax.quote(table.schema()) + ".") + syntax.quote(name + "_fn");
    }

    @Override
    public List<String> install(ResolvedTable table, List<String> key, boolean nullsEqual, String name) {
        String newKey = row("NEW", key);
        String compare = nullsEqual ? " IS NOT DISTINCT FROM " : " = ";
        String sameKey = key.stream().map(c -> "t." + syntax.quote(c) + compare + "NEW." + syntax.quote(c)).collect(Collectors.joining(" AND "));
        String notItself = "ROW(" + syntax.qualifiedColumns("t", table.primaryKey()) + ") IS DISTINCT FROM " + row("OLD", table.primaryKey());
        String body = "BEGIN\n"
                + "  IF current_setting('" + BYPASS + "', true) = 'on' THEN RETURN NEW; END IF;\n"
                + (nullsEqual ? "" : "  IF " + key.stream().map(c -> "NEW." + syntax.quote(c) + " IS NULL").collect(Collectors.joining(" OR "))
                        + " THEN RETURN NEW; END IF;\n")
                + "  IF TG_OP = 'UPDATE' AND " + newKey + " IS NOT DISTINCT FROM " + row("OLD", key) + " THEN RETURN NEW; END IF;\n"
                + "  PERFORM pg_advisory_xact_lock(hashtext('" + name + "'), hashtext(" + newKey + "::text));\n"
                + "  IF EXISTS (SELECT 1 FROM " + syntax.table(table) + " t WHERE " + sameKey + " AND (TG_OP = 'INSERT' OR " + notItself + ")) THEN\n"
                + "    RAISE EXCEPTION USING ERRCODE = 'unique_violation', MESSAGE = 'duplicate key value violates the unique key ("
                + String.join(", ", key) + ") that safemigrate is adding to " + table + "', DETAIL = 'Key ' || " + newKey + "::text || ' already exists.';\n"
                + "  END IF;\n"
                + "  RETURN NEW;\n"
                + "END";
        return List.of("CREATE OR REPLACE FUNCTION " + function(table, name) + "() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT"
                        + " AS $safemigrate_guard$\n"
                        + body + "\n$safemigrate_guard$",
                "DROP TRIGGER IF EXISTS " + syntax.quote(name) + " ON " + syntax.table(table),
                "CREATE TRIGGER " + syntax.quote(name) + " BEFORE INSERT OR UPDATE OF " + syntax.columnList(key) + " ON " + syntax.table(table)
                        + " FOR EACH ROW EXECUTE FUNCTION " + function(table, name) + "()");
    }

    private String row(String record, List<String> columns) {
        return "ROW(" + syntax.qualifiedColumns(record, columns) + ")";
    }

    @Override
    public List<String> remove(ResolvedTable table, String name) {
        return List.of("DROP TRIGGER IF EXISTS " + syntax.quote(name) + " ON " + syntax.table(table),
                "DROP FUNCTION IF EXISTS " + function(table, name) + "()");
    }

    @Override
    public List<String> bypass(boolean on) {
        return List.of(on ? "SET " + BYPASS + " = 'on'" : "RESET " + BYPASS);
    }
}
