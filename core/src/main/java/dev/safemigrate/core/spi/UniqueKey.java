package dev.safemigrate.core.spi;

import java.util.List;

/**
 * A unique constraint or unique index. {@code table} is the table it is on (for a lookup by name
 * that can find one on another table); {@code constraint} is false for a bare unique index.
 */
public record UniqueKey(String name, String table, List<String> columns, boolean constraint, boolean primaryKey) {
    public UniqueKey {
        columns = List.copyOf(columns);
    }
}
