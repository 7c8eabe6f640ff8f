package dev.safemigrate.core.spi;

import java.util.List;

/**
 * A foreign key from {@code childTable(childColumns)} to {@code parentTable(parentColumns)}. A schema is
 * null where it is the connection's default schema.
 */
public record ForeignKey(String name, String childSchema, String childTable, List<String> childColumns,
                         String parentSchema, String parentTable, List<String> parentColumns) {
    public ForeignKey {
        childColumns = List.copyOf(childColumns);
        parentColumns = List.copyOf(parentColumns);
    }

    public String childDisplayName() {
        return childSchema == null ? childTable : childSchema + "." + childTable;
    }

    public String parentDisplayName() {
        return parentSchema == null ? parentTable : parentSchema + "." + parentTable;
    }

    /** Whether the key points from {@code table} back into {@code table} itself. */
    public boolean selfReferencing() {
        return childTable.equals(parentTable) && java.util.Objects.equals(childSchema, parentSchema);
    }
}
