package dev.safemigrate.core.spi;

/**
 * One column: its name as the catalog spells it, SQL type name, nullability, collation (null if none),
 * and whether the database computes its value ({@code GENERATED ... AS (expr)}, stored or virtual): such a
 * column is never written, so restoring a row leaves it out and the database computes it again.
 */
public record ColumnInfo(String name, String typeName, boolean nullable, String collation, boolean generated) {
    /** An ordinary (not generated) column. */
    public ColumnInfo(String name, String typeName, boolean nullable, String collation) {
        this(name, typeName, nullable, collation, false);
    }
}
