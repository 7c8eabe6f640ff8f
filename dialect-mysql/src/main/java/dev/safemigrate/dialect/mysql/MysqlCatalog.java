package dev.safemigrate.dialect.mysql;

import dev.safemigrate.core.spi.ColumnInfo;
import dev.safemigrate.core.jdbc.JdbcCatalog;
import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.spi.UniqueKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The catalog of a MySQL/MariaDB database: a rules file's schema is a database (a JDBC catalog).
 * Columns carry their full type ({@code varchar(1000)}) and collation from
 * {@code information_schema.columns}; index names live per table, so a name is looked up among the
 * indexes of the table it would be added to.
 */
final class MysqlCatalog extends JdbcCatalog {
    private final Map<String, Map<String, Map<String, String[]>>> columnDetails = new HashMap<>();

    MysqlCatalog(Connection connection) {
        super(connection, true);
    }

    @Override
    protected List<ColumnInfo> withCollations(String schema, String table, List<ColumnInfo> columns) throws SQLException {
        Map<String, String[]> details = columnDetails(schema).get(table);
        if (details == null) {
            columnDetails.remove(schema);
            details = columnDetails(schema).getOrDefault(table, Map.of());
        }
        List<ColumnInfo> result = new ArrayList<>();
        for (ColumnInfo column : columns) {
            String[] detail = details.get(column.name());
            result.add(detail == null ? column : new ColumnInfo(column.name(), detail[0], column.nullable(), detail[1], column.generated()));
        }
        return result;
    }

    /** Type and collation of every column of every table in {@code schema}, read in one query and kept until a table is missing. */
    private Map<String, Map<String, String[]>> columnDetails(String schema) throws SQLException {
        Map<String, Map<String, String[]>> cached = columnDetails.get(schema);
        if (cached != null) {
            return cached;
        }
        Map<String, Map<String, String[]>> tables = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT table_name, column_name, column_type, collation_name FROM information_schema.columns WHERE table_schema = ?")) {
            statement.setString(1, schema);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    tables.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getString(2), new String[] {rs.getString(3), rs.getString(4)});
                }
            }
        }
        columnDetails.put(schema, tables);
        return tables;
    }

    /**
     * The index called {@code name} on {@code table} (MySQL compares index names case-insensitively).
     * A non-unique index of that name is reported on a table name that says so, so that it never
     * counts as "the same constraint" and the clash refuses the migration.
     */
    @Override
    public Optional<UniqueKey> objectNamed(ResolvedTable table, String name) throws SQLException {
        String schema = schemaOf(table);
        Map<String, List<String>> columns = new LinkedHashMap<>();
        Map<String, Boolean> unique = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT index_name, column_name, non_unique FROM information_schema.statistics"
                        + " WHERE table_schema = ? AND table_name = ? AND UPPER(index_name) = UPPER(?) ORDER BY index_name, seq_in_index")) {
            statement.setString(1, schema);
            statement.setString(2, table.name());
            statement.setString(3, name);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    columns.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                    unique.put(rs.getString(1), rs.getInt(3) == 0);
                }
            }
        }
        if (columns.isEmpty()) {
            return Optional.empty();
        }
        String index = columns.keySet().iterator().next();
        boolean primary = "PRIMARY".equalsIgnoreCase(index);
        if (!unique.get(index)) {
            return Optional.of(UniqueKey.otherObject(index, "a non-unique index on " + table.name() + " (" + String.join(", ", columns.get(index)) + ")"));
        }
        boolean constraint = primary || !constraints(schema, table.name(), index).isEmpty();
        return Optional.of(new UniqueKey(index, table.name(), columns.get(index), constraint, primary));
    }

    /**
     * Every index of {@code table} that can serve a foreign key (B-tree and hash, not full-text or spatial), by name,
     * with its columns in index order; a column indexed by a prefix of its values, or an expression, is null (InnoDB
     * cannot use it for a foreign key).
     */
    Map<String, List<String>> keyIndexes(ResolvedTable table) throws SQLException {
        Map<String, List<String>> indexes = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT index_name, CASE WHEN sub_part IS NULL THEN column_name END FROM information_schema.statistics"
                        + " WHERE table_schema = ? AND table_name = ? AND index_type IN ('BTREE', 'HASH') ORDER BY index_name, seq_in_index")) {
            statement.setString(1, schemaOf(table));
            statement.setString(2, table.name());
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    indexes.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
        }
        return indexes;
    }
}
