package dev.safemigrate.core.spi;

import dev.safemigrate.core.model.TableName;
import java.util.EnumSet;
import java.util.Set;

/**
 * A table a step changes and the row changes it makes there, counting those of its reversal (rows it
 * deletes are put back by INSERT, values it updates by UPDATE). Writers are kept out of the table, and a
 * trigger that fires on any of {@code events} refuses the migration unless the rules allow it. An empty
 * set means only the table's definition changes (DDL).
 */
public record TableWrite(TableName table, Set<DmlEvent> events) {
    public TableWrite {
        events = events.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(events));
    }

    /** Rows are deleted, and put back by INSERT when the run is reversed or undone. */
    public static TableWrite deletes(TableName table) {
        return new TableWrite(table, EnumSet.of(DmlEvent.DELETE, DmlEvent.INSERT));
    }

    /** Column values are updated, and put back by UPDATE. */
    public static TableWrite updates(TableName table) {
        return new TableWrite(table, EnumSet.of(DmlEvent.UPDATE));
    }

    /** Only the table's definition changes. */
    public static TableWrite definition(TableName table) {
        return new TableWrite(table, Set.of());
    }
}
