package dev.safemigrate.core.spi;

import java.util.List;

/** A foreign key from {@code childTable(childColumns)} into {@code parentColumns} of the table asked about. */
public record ForeignKey(String name, String childSchema, String childTable, List<String> childColumns,
                         List<String> parentColumns) {
    public ForeignKey {
        childColumns = List.copyOf(childColumns);
        parentColumns = List.copyOf(parentColumns);
    }

    public String childDisplayName() {
        return childSchema == null ? childTable : childSchema + "." + childTable;
    }
}
