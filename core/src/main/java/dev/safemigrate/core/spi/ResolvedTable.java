package dev.safemigrate.core.spi;

import java.util.List;

/**
 * A table as the catalog spells it: {@code schema} is null for the connection's default schema.
 * {@code columns} are in table order.
 */
public record ResolvedTable(String schema, String name, List<ColumnInfo> columns, List<String> primaryKey) {
    public ResolvedTable {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
    }

    public List<String> columnNames() {
        return columns.stream().map(ColumnInfo::name).toList();
    }

    @Override
    public String toString() {
        return schema == null ? name : schema + "." + name;
    }
}
