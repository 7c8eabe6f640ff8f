package dev.safemigrate.core.steps;

import dev.safemigrate.core.model.TableName;

/** A column of another table that references the deduped table's primary key and must follow the survivor. */
public record Repoint(TableName table, String column, OnConflict onConflict) {
    public Repoint {
        TableName.requireIdentifier(column, "column");
    }

    /** What to do when moving a child row to the survivor would break a unique key of the child table. */
    public enum OnConflict {
        /** Refuse the migration (exit 3) and name the clashing rows. */
        FAIL,
        /** Archive and delete the child row that would clash. */
        DELETE
    }
}
