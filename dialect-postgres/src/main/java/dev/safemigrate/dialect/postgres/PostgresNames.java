package dev.safemigrate.dialect.postgres;

import dev.safemigrate.core.spi.UniqueKey;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What holds a name in a schema, for {@link PostgresCatalog#objectNamed}: on PostgreSQL an index shares the
 * namespace of tables and sequences, so a unique constraint cannot be added under a name that any relation of
 * the schema already has, on whatever table.
 */
final class PostgresNames {
    private final Connection connection;

    PostgresNames(Connection connection) {
        this.connection = connection;
    }

    /**
     * Anything named {@code name} in {@code schema}'s relation namespace (an index, a table, a sequence,
     * a view), else a constraint of that name on {@code table} itself. A unique index that does not
     * enforce exactly "these columns are unique" (not unique, partial, or on expressions) is reported
     * on a table name that no step will match, so the name counts as taken.
     */
    Optional<UniqueKey> objectNamed(String schema, String table, String name) throws SQLException {
        String sql = "SELECT c.relkind, t.relname, i.indisunique, i.indisprimary, i.indpred IS NOT NULL OR i.indexprs IS NOT NULL,"
                + " EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid AND k.conrelid = i.indrelid AND k.contype IN ('u', 'p')),"
                + " ARRAY(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY AS x(attnum, n)"
                + "   JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = x.attnum ORDER BY x.n)::text[]"
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " LEFT JOIN pg_index i ON i.indexrelid = c.oid LEFT JOIN pg_class t ON t.oid = i.indrelid"
                + " WHERE n.nspname = ? AND c.relname = ?";
        Optional<UniqueKey> relation = firstRow(sql, rs -> relationKey(rs, name), schema, name);
        return relation.isPresent() ? relation : constraintOnTable(schema, table, name);
    }

    private static UniqueKey relationKey(ResultSet rs, String name) throws SQLException {
        String kind = rs.getString(1);
        // "I": the index of a partitioned table, which owns one index per partition.
        if (!"i".equals(kind) && !"I".equals(kind)) {
            return UniqueKey.otherObject(name, kindName(kind) + " " + name);
        }
        String onTable = rs.getString(2);
        List<String> columns = strings(rs.getArray(7));
        if (!rs.getBoolean(3)) {
            return UniqueKey.otherObject(name, "a non-unique index on " + onTable + " (" + String.join(", ", columns) + ")");
        }
        if (rs.getBoolean(5)) {
            return UniqueKey.otherObject(name, "a partial or expression unique index on " + onTable);
        }
        return new UniqueKey(name, onTable, columns, rs.getBoolean(6), rs.getBoolean(4));
    }

    private static String kindName(String relkind) {
        return switch (relkind) {
            case "r", "p" -> "the table";
            case "S" -> "the sequence";
            case "v" -> "the view";
            case "m" -> "the materialized view";
            case "f" -> "the foreign table";
            case "c" -> "the composite type";
            default -> "the relation";
        };
    }

    /**
     * A constraint that has no index of its own (CHECK, FOREIGN KEY, a constraint trigger) called {@code name} on the
     * table. UNIQUE, PRIMARY KEY and EXCLUDE constraints own an index of their name, which the relation lookup finds first.
     */
    private Optional<UniqueKey> constraintOnTable(String schema, String table, String name) throws SQLException {
        String sql = "SELECT k.contype, ARRAY(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY AS x(attnum, n)"
                + "   JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = x.attnum ORDER BY x.n)::text[]"
                + " FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace"
                + " WHERE n.nspname = ? AND t.relname = ? AND k.conname = ?";
        return firstRow(sql, rs -> UniqueKey.otherObject(name, constraintKind(rs.getString(1)) + " on " + table), schema, table, name);
    }

    private static String constraintKind(String contype) {
        return switch (contype) {
            case "c" -> "a check constraint";
            case "f" -> "a foreign key";
            case "t" -> "a constraint trigger";
            default -> "a constraint";
        };
    }

    private interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** The first row of {@code sql}, with {@code args} as its parameters, read by {@code reader}. */
    private <T> Optional<T> firstRow(String sql, RowReader<T> reader, String... args) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                statement.setString(i + 1, args[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? Optional.of(reader.read(rs)) : Optional.empty();
            }
        }
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
