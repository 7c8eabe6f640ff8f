package dev.safemigrate.core.kit.fuzz;

import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.spi.Step;
import dev.safemigrate.core.steps.AddUniqueStep;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The fingerprint of a fuzzed database: every row of every table (bytes as hex, so rows compare by value),
 * the rows of every archive table that holds any, without its bookkeeping columns (an empty archive holds no
 * data; removing one left over is cleanup), and which of the constraints the migrations create exist.
 */
record FuzzState(Map<String, List<Map<String, Object>>> tables, Map<String, List<Map<String, Object>>> archives, Map<String, Boolean> constraints) {

    /** Reads the state over one connection: a connection per query made the snapshots most of a case's time on a server. */
    static FuzzState take(DataSource dataSource, FuzzSchema schema) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return read(OneConnection.of(connection), schema);
        }
    }

    private static FuzzState read(DataSource dataSource, FuzzSchema schema) throws SQLException {
        Map<String, List<Map<String, Object>>> tables = new LinkedHashMap<>();
        for (FuzzSchema.Table table : schema.tables) {
            tables.put(table.name(), normalized(Fixture.rows(dataSource, table.name(), table.orderBy())));
        }
        Map<String, List<Map<String, Object>>> archives = new TreeMap<>();
        String quote = quote(dataSource);
        for (String archive : Fixture.tableNames(dataSource).stream().filter(t -> t.toLowerCase(Locale.ROOT).startsWith("sm_archive_")).toList()) {
            List<Map<String, Object>> rows = normalized(Fixture.query(dataSource, "SELECT * FROM " + quote + archive + quote));
            rows.forEach(r -> r.keySet().removeIf(k -> k.startsWith("sm_")));
            if (!rows.isEmpty()) {
                archives.put(archive.toLowerCase(Locale.ROOT), rows);
            }
        }
        Map<String, Boolean> constraints = new TreeMap<>();
        for (Migration migration : schema.migrations) {
            for (Step step : migration.steps()) {
                if (step instanceof AddUniqueStep unique) {
                    constraints.put(unique.name(), Fixture.constraintExists(dataSource, unique.name()));
                }
            }
        }
        return new FuzzState(tables, archives, constraints);
    }

    private static String quote(DataSource dataSource) throws SQLException {
        try (var connection = dataSource.getConnection()) {
            return connection.getMetaData().getIdentifierQuoteString();
        }
    }

    private static List<Map<String, Object>> normalized(List<Map<String, Object>> rows) {
        rows.forEach(row -> row.replaceAll((column, value) -> value instanceof byte[] bytes ? "0x" + HexFormat.of().formatHex(bytes) : value));
        return rows;
    }

    /** Rows of every table, the trigger's note table left out when {@code skipNotes}. */
    long rows(boolean skipNotes) {
        return tables.entrySet().stream().filter(t -> !skipNotes || !t.getKey().equals(FuzzSchema.NOTE_TABLE)).mapToLong(t -> t.getValue().size()).sum();
    }

    boolean equalsApartFromNotes(FuzzState other) {
        Map<String, List<Map<String, Object>>> mine = new LinkedHashMap<>(tables);
        Map<String, List<Map<String, Object>>> theirs = new LinkedHashMap<>(other.tables);
        mine.remove(FuzzSchema.NOTE_TABLE);
        theirs.remove(FuzzSchema.NOTE_TABLE);
        return mine.equals(theirs) && archives.equals(other.archives) && constraints.equals(other.constraints);
    }

    /**
     * Rows of this state found in {@code later} neither in their table nor in an archive of it (each as
     * "table: row"): a lost row. Rows of the trigger's note table are left out when {@code skipNotes}.
     */
    List<String> rowsMissingFrom(FuzzState later, boolean skipNotes) {
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, List<Map<String, Object>>> table : tables.entrySet()) {
            if (skipNotes && table.getKey().equals(FuzzSchema.NOTE_TABLE)) {
                continue;
            }
            Set<Map<String, Object>> found = new HashSet<>(later.tables.get(table.getKey()));
            later.archives.forEach((name, rows) -> {
                if (name.endsWith("_" + table.getKey())) {
                    found.addAll(rows);
                }
            });
            table.getValue().stream().filter(row -> !found.contains(row)).limit(3).forEach(row -> missing.add(table.getKey() + ": " + row
                    + found.stream().filter(f -> sameFirstColumn(row, f)).map(f -> " (found with its key: " + f + ")").collect(Collectors.joining())));
        }
        return missing;
    }

    private static boolean sameFirstColumn(Map<String, Object> row, Map<String, Object> other) {
        Map.Entry<String, Object> first = row.entrySet().iterator().next();
        return Objects.equals(first.getValue(), other.get(first.getKey()));
    }

    /** Groups of the unique step's columns (no NULL among them) that hold more than one row. */
    long duplicates(DataSource dataSource, AddUniqueStep unique) throws SQLException {
        String columns = String.join(", ", unique.columns());
        String notNull = unique.columns().stream().map(c -> c + " IS NOT NULL").collect(Collectors.joining(" AND "));
        return Fixture.count(dataSource, "SELECT COUNT(*) FROM (SELECT " + columns + " FROM " + unique.table() + " WHERE " + notNull
                + " GROUP BY " + columns + " HAVING COUNT(*) > 1) d");
    }

    /** What differs from {@code other}, briefly: row counts of tables that differ, archive tables, constraints. */
    String difference(FuzzState other) {
        List<String> parts = new ArrayList<>();
        tables.forEach((name, rows) -> {
            if (!rows.equals(other.tables.get(name))) {
                parts.add(name + " " + rows.size() + " -> " + other.tables.get(name).size() + " rows" + firstChange(rows, other.tables.get(name)));
            }
        });
        if (!archives.keySet().equals(other.archives.keySet())) {
            parts.add("archive tables " + archives.keySet() + " -> " + other.archives.keySet());
        }
        if (!constraints.equals(other.constraints)) {
            parts.add("constraints " + constraints + " -> " + other.constraints);
        }
        return String.join("; ", parts);
    }

    private static String firstChange(List<Map<String, Object>> before, List<Map<String, Object>> after) {
        for (int i = 0; i < Math.min(before.size(), after.size()); i++) {
            if (!Objects.equals(before.get(i), after.get(i))) {
                return " (first change " + before.get(i) + " -> " + after.get(i) + ")";
            }
        }
        return "";
    }
}
