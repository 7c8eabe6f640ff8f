package dev.safemigrate.core.jdbc;

import dev.safemigrate.core.spi.ForeignKey;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Foreign keys from a JDBC {@code getExportedKeys}/{@code getImportedKeys} result: one per key, columns in key order. */
final class ForeignKeyRows {
    private ForeignKeyRows() {
    }

    /**
     * @param schemasAreCatalogs true where a schema is a JDBC catalog (MySQL databases)
     * @param defaultSchema a key's schema that equals this one is given as none, as unqualified names are
     */
    static List<ForeignKey> read(ResultSet rs, boolean schemasAreCatalogs, String defaultSchema) throws SQLException {
        Map<String, Builder> keys = new LinkedHashMap<>();
        while (rs.next()) {
            String childSchema = schemasAreCatalogs ? rs.getString("FKTABLE_CAT") : rs.getString("FKTABLE_SCHEM");
            String parentSchema = schemasAreCatalogs ? rs.getString("PKTABLE_CAT") : rs.getString("PKTABLE_SCHEM");
            String childTable = rs.getString("FKTABLE_NAME");
            String parentTable = rs.getString("PKTABLE_NAME");
            String name = rs.getString("FK_NAME");
            Builder key = keys.computeIfAbsent(childSchema + "." + childTable + "." + name,
                    k -> new Builder(name, childSchema, childTable, parentSchema, parentTable));
            key.childColumns.put(rs.getShort("KEY_SEQ"), rs.getString("FKCOLUMN_NAME"));
            key.parentColumns.put(rs.getShort("KEY_SEQ"), rs.getString("PKCOLUMN_NAME"));
        }
        return keys.values().stream().map(k -> new ForeignKey(k.name, orNullIfDefault(k.childSchema, defaultSchema), k.childTable,
                List.copyOf(k.childColumns.values()), orNullIfDefault(k.parentSchema, defaultSchema), k.parentTable,
                List.copyOf(k.parentColumns.values()))).toList();
    }

    private static String orNullIfDefault(String schema, String defaultSchema) {
        return schema == null || schema.equals(defaultSchema) ? null : schema;
    }

    private static final class Builder {
        final String name;
        final String childSchema;
        final String childTable;
        final String parentSchema;
        final String parentTable;
        final Map<Short, String> childColumns = new TreeMap<>();
        final Map<Short, String> parentColumns = new TreeMap<>();

        Builder(String name, String childSchema, String childTable, String parentSchema, String parentTable) {
            this.name = name;
            this.childSchema = childSchema;
            this.childTable = childTable;
            this.parentSchema = parentSchema;
            this.parentTable = parentTable;
        }
    }
}
