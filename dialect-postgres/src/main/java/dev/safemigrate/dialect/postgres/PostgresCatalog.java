package dev.safemigrate.dialect.postgres;

import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.spi.ColumnInfo;
import dev.safemigrate.core.spi.DmlEvent;
import dev.safemigrate.core.spi.Trigger;
import dev.safemigrate.core.jdbc.JdbcCatalog;
import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.spi.UniqueKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The catalog read from {@code pg_catalog}: tables and columns by exact name (JDBC metadata takes
 * schema and table names as LIKE patterns), triggers and rules, which types can be compared, and (in
 * {@link PostgresNames}) what holds a name in a schema's namespace.
 */
final class PostgresCatalog extends JdbcCatalog {
    private static final String TABLE_KINDS = "('r', 'p')";
    /** The table with schema and name as the first two parameters. */
    private static final String RELATION = "(SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN " + TABLE_KINDS + ")";

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
        List<ColumnInfo> columns = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull, co.collname, a.attgenerated <> '' FROM pg_attribute a"
                        + " LEFT JOIN pg_collation co ON co.oid = a.attcollation AND a.attcollation <> 0"
                        + " WHERE a.attrelid = " + RELATION + " AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum")) {
            statement.setString(1, schema);
            statement.setString(2, table);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    String collation = rs.getString(4);
                    columns.add(new ColumnInfo(rs.getString(1), rs.getString(2), rs.getBoolean(3), "default".equals(collation) ? null : collation,
                            rs.getBoolean(5)));
                }
            }
        }
        List<String> primaryKey = queryStrings("SELECT a.attname FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)"
                + " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
                + " WHERE i.indrelid = " + RELATION + " AND i.indisprimary ORDER BY k.n", schema, table);
        boolean partitioned = !queryStrings("SELECT 1 FROM pg_partitioned_table WHERE partrelid = " + RELATION, schema, table).isEmpty();
        return new ResolvedTable(displaySchema, table, columns, primaryKey, partitioned);
    }

    @Override
    public Optional<UniqueKey> objectNamed(ResolvedTable table, String name) throws SQLException {
        return new PostgresNames(connection).objectNamed(schemaOf(table), table.name(), name);
    }

    /**
     * User triggers (not the internal ones behind foreign keys) and rewrite rules on the table, with the
     * events they fire on ({@code tgtype} bits: 4 insert, 8 delete, 16 update, 32 truncate).
     */
    @Override
    public List<Trigger> triggers(ResolvedTable table) throws SQLException {
        String sql = "SELECT t.tgname, 'trigger', t.tgtype & 4 <> 0, t.tgtype & 16 <> 0, t.tgtype & 8 <> 0, t.tgtype & 32 <> 0"
                + " FROM pg_trigger t WHERE t.tgrelid = " + RELATION + " AND NOT t.tgisinternal"
                + " UNION ALL SELECT r.rulename, 'rule', r.ev_type = '3', r.ev_type = '2', r.ev_type = '4', false"
                + " FROM pg_rewrite r WHERE r.ev_class = " + RELATION + " AND r.rulename <> '_RETURN' ORDER BY 1";
        String schema = schemaOf(table);
        List<Trigger> triggers = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, schema);
            statement.setString(2, table.name());
            statement.setString(3, schema);
            statement.setString(4, table.name());
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    java.util.Set<DmlEvent> events = java.util.EnumSet.noneOf(DmlEvent.class);
                    DmlEvent[] order = {DmlEvent.INSERT, DmlEvent.UPDATE, DmlEvent.DELETE, DmlEvent.TRUNCATE};
                    for (int i = 0; i < order.length; i++) {
                        if (rs.getBoolean(3 + i)) {
                            events.add(order[i]);
                        }
                    }
                    triggers.add(new Trigger(rs.getString(1), table.toString(), events, rs.getString(2)));
                }
            }
        }
        return triggers;
    }

    /**
     * Columns whose type has no default B-tree operator class (json, xml, geometric types, arrays of
     * those): PostgreSQL can neither group nor index them by equality.
     */
    @Override
    public Optional<String> whyNotComparable(ResolvedTable table, List<String> columns) throws SQLException {
        // A type is compared through its own default B-tree class or that of a type it converts to implicitly at no cost (varchar to text).
        String hasBtree = "EXISTS (SELECT 1 FROM pg_opclass o JOIN pg_am m ON m.oid = o.opcmethod WHERE m.amname = 'btree' AND o.opcdefault"
                + " AND (o.opcintype = %1$s OR o.opcintype IN (SELECT k.casttarget FROM pg_cast k WHERE k.castsource = %1$s"
                + " AND k.castmethod = 'b' AND k.castcontext = 'i')))";
        String sql = "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a"
                + " JOIN pg_type t ON t.oid = a.atttypid"
                + " JOIN pg_type b ON b.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END"
                + " WHERE a.attrelid = " + RELATION + " AND a.attname = ANY (?) AND NOT (b.typtype IN ('e', 'r', 'm', 'c')"
                + " OR CASE WHEN b.typcategory = 'A' THEN " + hasBtree.formatted("b.typelem") + " ELSE " + hasBtree.formatted("b.oid") + " END)";
        List<String> problems = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, schemaOf(table));
            statement.setString(2, table.name());
            statement.setArray(3, connection.createArrayOf("text", columns.toArray()));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    problems.add("column " + rs.getString(1) + " is of type " + rs.getString(2) + ", which PostgreSQL cannot compare for equality");
                }
            }
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }

    /** Also: on a partitioned table a unique key must hold every column of the partition key (and none may be an expression). */
    @Override
    public Optional<String> whyNotUnique(ResolvedTable table, List<String> columns) throws SQLException {
        Optional<String> incomparable = whyNotComparable(table, columns);
        if (incomparable.isPresent()) {
            return incomparable;
        }
        List<String> partitionKey = partitionKey(table);
        if (partitionKey.isEmpty() || columns.containsAll(partitionKey)) {
            return Optional.empty();
        }
        return Optional.of(table + " is partitioned by (" + String.join(", ", partitionKey) + "), and PostgreSQL enforces a unique key on a"
                + " partitioned table only when it includes every partition key column");
    }

    /** The partition key's columns, "(expression)" for each expression in it; empty when the table is not partitioned. */
    private List<String> partitionKey(ResolvedTable table) throws SQLException {
        return queryStrings("SELECT COALESCE(a.attname, '(expression)') FROM pg_partitioned_table p"
                + " CROSS JOIN LATERAL unnest(p.partattrs) WITH ORDINALITY AS k(attnum, n)"
                + " LEFT JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = k.attnum"
                + " WHERE p.partrelid = " + RELATION + " ORDER BY k.n", schemaOf(table), table.name());
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
