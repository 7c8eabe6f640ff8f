package dev.safemigrate.core.spi;

/** One column: its name as the catalog spells it, SQL type name, nullability and collation (null if none). */
public record ColumnInfo(String name, String typeName, boolean nullable, String collation) {
}
