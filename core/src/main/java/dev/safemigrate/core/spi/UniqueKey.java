package dev.safemigrate.core.spi;

import java.util.List;

/**
 * A unique constraint or unique index. {@code table} is the table it is on (for a lookup by name
 * that can find one on another table); {@code constraint} is false for a bare unique index.
 * {@link Catalog#objectNamed} also answers with {@link #otherObject}s: whatever else holds the name.
 */
public record UniqueKey(String name, String table, List<String> columns, boolean constraint, boolean primaryKey) {
    public UniqueKey {
        columns = List.copyOf(columns);
    }

    /**
     * Something that holds {@code name} but is no unique key of columns (a sequence, a view, a non-unique,
     * partial or expression index, a check): {@code what} says what it is and where, for messages.
     */
    public static UniqueKey otherObject(String name, String what) {
        return new UniqueKey(name, what, List.of(), false, false);
    }

    /** Whether this is an {@link #otherObject}: a unique key always has a column. */
    public boolean isOtherObject() {
        return columns.isEmpty();
    }
}
