package dev.safemigrate.core.jdbc;

import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.spi.Catalog;
import dev.safemigrate.core.spi.ColumnInfo;
import dev.safemigrate.core.spi.DmlEvent;
import dev.safemigrate.core.spi.ForeignKey;
import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.spi.Trigger;
import dev.safemigrate.core.spi.UniqueKey;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link Catalog} read through {@link DatabaseMetaData} and the standard
 * {@code information_schema}. Dialects extend it where their catalog says more (unique indexes
 * named in a schema, collations) or where the driver reports names differently.
 */
public class JdbcCatalog implements Catalog {
    protected final Connection connection;
    private final boolean schemasAreCatalogs;

    /**
     * @param schemasAreCatalogs true where a "schema" in a rules file is a JDBC catalog (MySQL databases)
     */
    public JdbcCatalog(Connection connection, boolean schemasAreCatalogs) {
        this.connection = connection;
        this.schemasAreCatalogs = schemasAreCatalogs;
    }

    /** The schema that unqualified names live in. */
    protected String defaultSchema() throws SQLException {
        return schemasAreCatalogs ? connection.getCatalog() : connection.getSchema();
    }

    private String catalogArg(String schema) {
        return schemasAreCatalogs ? schema : null;
    }

    private String schemaArg(String schema) {
        return schemasAreCatalogs ? null : schema;
    }

    @Override
    public Optional<ResolvedTable> table(TableName name) throws SQLException {
        String schema = name.schema().isPresent() ? resolveSchemaOrNull(name.schema().get()) : defaultSchema();
        if (schema == null) {
            return Optional.empty();
        }
        Optional<String> table = pick(name.name(), tablesIn(schema));
        if (table.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(describe(name.schema().isPresent() ? schema : null, schema, table.get()));
    }

    @Override
    public boolean tableExists(String exactName) throws SQLException {
        return tablesIn(defaultSchema()).contains(exactName);
    }

    private Optional<String> resolveSchema(String requested) throws SQLException {
        List<String> schemas = new ArrayList<>();
        DatabaseMetaData meta = connection.getMetaData();
        try (ResultSet rs = schemasAreCatalogs ? meta.getCatalogs() : meta.getSchemas()) {
            while (rs.next()) {
                schemas.add(rs.getString(1));
            }
        }
        return pick(requested, schemas);
    }

    private String resolveSchemaOrNull(String requested) throws SQLException {
        return resolveSchema(requested).orElse(null);
    }

    private List<String> tablesIn(String schema) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (ResultSet rs = connection.getMetaData().getTables(catalogArg(schema), schemaArg(schema), "%", new String[] {"TABLE", "BASE TABLE"})) {
            while (rs.next()) {
                tables.add(rs.getString("TABLE_NAME"));
            }
        }
        return tables;
    }

    /** The exact match, else the only case-insensitive match. */
    protected static Optional<String> pick(String requested, List<String> candidates) {
        if (candidates.contains(requested)) {
            return Optional.of(requested);
        }
        List<String> folded = candidates.stream().filter(c -> c.equalsIgnoreCase(requested)).toList();
        return folded.size() == 1 ? Optional.of(folded.get(0)) : Optional.empty();
    }

    private ResolvedTable describe(String displaySchema, String schema, String table) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        List<ColumnInfo> columns = new ArrayList<>();
        try (ResultSet rs = meta.getColumns(catalogArg(schema), schemaArg(schema), escape(table), "%")) {
            while (rs.next()) {
                if (table.equals(rs.getString("TABLE_NAME"))) {
                    columns.add(new ColumnInfo(rs.getString("COLUMN_NAME"), rs.getString("TYPE_NAME"),
                            rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls, null, "YES".equals(rs.getString("IS_GENERATEDCOLUMN"))));
                }
            }
        }
        Map<Short, String> pk = new TreeMap<>();
        try (ResultSet rs = meta.getPrimaryKeys(catalogArg(schema), schemaArg(schema), table)) {
            while (rs.next()) {
                pk.put(rs.getShort("KEY_SEQ"), rs.getString("COLUMN_NAME"));
            }
        }
        return new ResolvedTable(displaySchema, table, withCollations(schema, table, columns), List.copyOf(pk.values()));
    }

    /** Fills in column collations where the dialect knows them. */
    protected List<ColumnInfo> withCollations(String schema, String table, List<ColumnInfo> columns) throws SQLException {
        return columns;
    }

    private String escape(String pattern) throws SQLException {
        String escape = connection.getMetaData().getSearchStringEscape();
        return pattern.replace(escape, escape + escape).replace("_", escape + "_").replace("%", escape + "%");
    }

    protected String schemaOf(ResolvedTable table) throws SQLException {
        return table.schema() == null ? defaultSchema() : table.schema();
    }

    @Override
    public List<ForeignKey> foreignKeysInto(ResolvedTable table) throws SQLException {
        String schema = schemaOf(table);
        try (ResultSet rs = connection.getMetaData().getExportedKeys(catalogArg(schema), schemaArg(schema), table.name())) {
            return ForeignKeyRows.read(rs, schemasAreCatalogs, defaultSchema());
        }
    }

    @Override
    public List<ForeignKey> foreignKeysFrom(ResolvedTable table) throws SQLException {
        String schema = schemaOf(table);
        try (ResultSet rs = connection.getMetaData().getImportedKeys(catalogArg(schema), schemaArg(schema), table.name())) {
            return ForeignKeyRows.read(rs, schemasAreCatalogs, defaultSchema());
        }
    }

    /** Triggers from the standard {@code information_schema.triggers} (MySQL, MariaDB and H2 keep theirs there). */
    @Override
    public List<Trigger> triggers(ResolvedTable table) throws SQLException {
        String sql = "SELECT trigger_name, event_manipulation FROM information_schema.triggers"
                + " WHERE event_object_schema = ? AND event_object_table = ? ORDER BY trigger_name";
        Map<String, java.util.Set<DmlEvent>> events = new TreeMap<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, schemaOf(table));
            statement.setString(2, table.name());
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    java.util.Set<DmlEvent> fired = events.computeIfAbsent(rs.getString(1), k -> java.util.EnumSet.noneOf(DmlEvent.class));
                    // H2 lists a trigger on several events once, comma-separated; SELECT and ROLLBACK triggers change no rows.
                    for (String event : rs.getString(2).split(",")) {
                        String name = event.trim().toUpperCase(java.util.Locale.ROOT);
                        java.util.Arrays.stream(DmlEvent.values()).filter(e -> e.name().equals(name)).forEach(fired::add);
                    }
                }
            }
        }
        return events.entrySet().stream().map(e -> new Trigger(e.getKey(), table.toString(), e.getValue(), "trigger")).toList();
    }

    @Override
    public List<UniqueKey> uniqueKeys(ResolvedTable table) throws SQLException {
        String schema = schemaOf(table);
        Map<String, Map<Short, String>> indexes = new LinkedHashMap<>();
        try (ResultSet rs = connection.getMetaData().getIndexInfo(catalogArg(schema), schemaArg(schema), table.name(), true, false)) {
            while (rs.next()) {
                String name = rs.getString("INDEX_NAME");
                if (name != null && !rs.getBoolean("NON_UNIQUE")) {
                    indexes.computeIfAbsent(name, k -> new TreeMap<>()).put(rs.getShort("ORDINAL_POSITION"), rs.getString("COLUMN_NAME"));
                }
            }
        }
        List<UniqueKey> keys = new ArrayList<>(constraints(schema, table.name(), null));
        for (Map.Entry<String, Map<Short, String>> index : indexes.entrySet()) {
            List<String> columns = List.copyOf(index.getValue().values());
            boolean coveredByConstraint = keys.stream().anyMatch(k -> k.columns().equals(columns));
            if (!coveredByConstraint) {
                keys.add(new UniqueKey(index.getKey(), table.name(), columns, false, false));
            }
        }
        return keys;
    }

    @Override
    public Optional<UniqueKey> objectNamed(ResolvedTable table, String name) throws SQLException {
        String schema = schemaOf(table);
        List<UniqueKey> constraints = constraints(schema, null, name);
        if (!constraints.isEmpty()) {
            return Optional.of(constraints.get(0));
        }
        for (UniqueKey key : uniqueKeys(table)) {
            if (key.name().equalsIgnoreCase(name)) {
                return Optional.of(key);
            }
        }
        return Optional.empty();
    }

    /** Unique and primary-key constraints from {@code information_schema}, filtered by table and/or name. */
    protected List<UniqueKey> constraints(String schema, String table, String name) throws SQLException {
        String sql = "SELECT tc.constraint_name, tc.table_name, tc.constraint_type, k.column_name, k.ordinal_position"
                + " FROM information_schema.table_constraints tc JOIN information_schema.key_column_usage k"
                + " ON k.constraint_schema = tc.constraint_schema AND k.constraint_name = tc.constraint_name AND k.table_name = tc.table_name"
                + " WHERE tc.constraint_type IN ('UNIQUE', 'PRIMARY KEY') AND tc.table_schema = ?"
                + (table == null ? "" : " AND tc.table_name = ?")
                + (name == null ? "" : " AND UPPER(tc.constraint_name) = UPPER(?)")
                + " ORDER BY tc.table_name, tc.constraint_name, k.ordinal_position";
        Map<String, List<String>> columns = new LinkedHashMap<>();
        Map<String, String[]> info = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int i = 1;
            statement.setString(i++, schema);
            if (table != null) {
                statement.setString(i++, table);
            }
            if (name != null) {
                statement.setString(i, name);
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    String key = rs.getString(2) + "." + rs.getString(1);
                    columns.computeIfAbsent(key, k -> new ArrayList<>()).add(rs.getString(4));
                    info.putIfAbsent(key, new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
        }
        List<UniqueKey> keys = new ArrayList<>();
        for (Map.Entry<String, String[]> entry : info.entrySet()) {
            String[] row = entry.getValue();
            keys.add(new UniqueKey(row[0], row[1], columns.get(entry.getKey()), true, "PRIMARY KEY".equals(row[2])));
        }
        return keys;
    }
}
