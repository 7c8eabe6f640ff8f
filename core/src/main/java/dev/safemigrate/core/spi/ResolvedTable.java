package dev.safemigrate.core.spi;

import java.util.List;

/**
 * A table as the catalog spells it: {@code schema} is null for the connection's default schema.
 * {@code columns} are in table order. {@code partitioned}: its rows live in partitions, which limits
 * how constraints can be added to it.
 */
public record ResolvedTable(String schema, String name, List<ColumnInfo> columns, List<String> primaryKey, boolean partitioned) {
    public ResolvedTable {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
    }

    /** A table that is not partitioned. */
    public ResolvedTable(String schema, String name, List<ColumnInfo> columns, List<String> primaryKey) {
        this(schema, name, columns, primaryKey, false);
    }

    public List<String> columnNames() {
        return columns.stream().map(ColumnInfo::name).toList();
    }

    /** The columns a row can be written with: all but the generated ones, whose values the database computes. */
    public List<String> writableColumnNames() {
        return columns.stream().filter(c -> !c.generated()).map(ColumnInfo::name).toList();
    }

    public boolean isGenerated(String column) {
        return columns.stream().anyMatch(c -> c.name().equals(column) && c.generated());
    }

    @Override
    public String toString() {
        return schema == null ? name : schema + "." + name;
    }
}
