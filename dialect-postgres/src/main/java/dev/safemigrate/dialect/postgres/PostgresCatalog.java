package dev.safemigrate.dialect.postgres;

import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.spi.ColumnInfo;
import dev.safemigrate.core.spi.JdbcCatalog;
import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.spi.UniqueKey;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The catalog read from {@code pg_catalog}: tables and columns by exact name (JDBC metadata takes
 * schema and table names as LIKE patterns), and names in a schema's namespace. On PostgreSQL an index
 * shares the namespace of tables and sequences, so a unique constraint cannot be added under a name
 * that any relation of the schema already has, on whatever table.
 */
final class PostgresCatalog extends JdbcCatalog {
    private static final String TABLE_KINDS = "('r', 'p')";

    PostgresCatalog(Connection connection) {
        super(connection, false);
    }

    @Override
    protected String defaultSchema() throws SQLException {
        return queryStrings("SELECT current_schema()").stream().findFirst().orElse(null);
    }

    @Override
    public Optional<ResolvedTable> table(TableName name) throws SQLException {
        Optional<String> schema = name.schema().isPresent()
                ? pick(name.schema().get(), queryStrings("SELECT nspname FROM pg_namespace"))
                : Optional.ofNullable(defaultSchema());
        if (schema.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> table = pick(name.name(), tablesIn(schema.get()));
        if (table.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(describe(name.schema().isPresent() ? schema.get() : null, schema.get(), table.get()));
    }

    @Override
    public boolean tableExists(String exactName) throws SQLException {
        String schema = defaultSchema();
        return schema != null && tablesIn(schema).contains(exactName);
    }

    private List<String> tablesIn(String schema) throws SQLException {
        return queryStrings("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relkind IN " + TABLE_KINDS + " ORDER BY c.relname", schema);
    }

    private ResolvedTable describe(String displaySchema, String schema, String table) throws SQLException {
        String relation = "(SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?"
                + " AND c.relkind IN " + TABLE_KINDS + ")";
        List<ColumnInfo> columns = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull, co.collname FROM pg_attribute a"
                        + " LEFT JOIN pg_collation co ON co.oid = a.attcollation AND a.attcollation <> 0"
                        + " WHERE a.attrelid = " + relation + " AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum")) {
            statement.setString(1, schema);
            statement.setString(2, table);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    String collation = rs.getString(4);
                    columns.add(new ColumnInfo(rs.getString(1), rs.getString(2), rs.getBoolean(3), "default".equals(collation) ? null : collation));
                }
            }
        }
        List<String> primaryKey = queryStrings("SELECT a.attname FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)"
                + " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
                + " WHERE i.indrelid = " + relation + " AND i.indisprimary ORDER BY k.n", schema, table);
        return new ResolvedTable(displaySchema, table, columns, primaryKey);
    }

    /**
     * Anything named {@code name} in the schema's relation namespace (an index, a table, a sequence,
     * a view), else a constraint of that name on {@code table} itself. A unique index that does not
     * enforce exactly "these columns are unique" (not unique, partial, or on expressions) is reported
     * on a table name that no step will match, so the name counts as taken.
     */
    @Override
    public Optional<UniqueKey> objectNamed(ResolvedTable table, String name) throws SQLException {
        String schema = schemaOf(table);
        String sql = "SELECT c.relkind, t.relname, i.indisunique, i.indisprimary, i.indpred IS NOT NULL OR i.indexprs IS NOT NULL,"
                + " EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid AND k.conrelid = i.indrelid AND k.contype IN ('u', 'p')),"
                + " ARRAY(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY AS x(attnum, n)"
                + "   JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = x.attnum ORDER BY x.n)::text[]"
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " LEFT JOIN pg_index i ON i.indexrelid = c.oid LEFT JOIN pg_class t ON t.oid = i.indrelid"
                + " WHERE n.nspname = ? AND c.relname = ?";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, schema);
            statement.setString(2, name);
            try (ResultSet rs = statement.executeQuery()) {
                if (rs.next()) {
                    return Optional.of(relationKey(rs, name));
                }
            }
        }
        return constraintOnTable(schema, table.name(), name);
    }

    private static UniqueKey relationKey(ResultSet rs, String name) throws SQLException {
        String kind = rs.getString(1);
        if (!"i".equals(kind)) {
            return new UniqueKey(name, kindName(kind) + " " + name, List.of(), false, false);
        }
        String onTable = rs.getString(2);
        List<String> columns = strings(rs.getArray(7));
        if (!rs.getBoolean(3)) {
            return new UniqueKey(name, onTable + " (a non-unique index)", columns, false, false);
        }
        if (rs.getBoolean(5)) {
            return new UniqueKey(name, onTable + " (a partial or expression index)", columns, false, false);
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
            default -> "the relation";
        };
    }

    /** A constraint that has no index of its own (CHECK, FOREIGN KEY, EXCLUDE) called {@code name} on the table. */
    private Optional<UniqueKey> constraintOnTable(String schema, String table, String name) throws SQLException {
        String sql = "SELECT k.contype, ARRAY(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY AS x(attnum, n)"
                + "   JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = x.attnum ORDER BY x.n)::text[]"
                + " FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace"
                + " WHERE n.nspname = ? AND t.relname = ? AND k.conname = ?";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, schema);
            statement.setString(2, table);
            statement.setString(3, name);
            try (ResultSet rs = statement.executeQuery()) {
                if (rs.next()) {
                    String kind = switch (rs.getString(1)) {
                        case "c" -> "check";
                        case "f" -> "foreign key";
                        case "x" -> "exclusion";
                        default -> "other";
                    };
                    return Optional.of(new UniqueKey(name, table + " (a " + kind + " constraint)", strings(rs.getArray(2)), true, false));
                }
            }
        }
        return Optional.empty();
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    private List<String> queryStrings(String sql, String... args) throws SQLException {
        List<String> values = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                statement.setString(i + 1, args[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
        }
        return values;
    }
}
