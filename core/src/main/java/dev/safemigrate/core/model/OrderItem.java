package dev.safemigrate.core.model;

import dev.safemigrate.core.SafeMigrateException;

/** One column of an ORDER BY: {@code id} or {@code updated_at DESC}. */
public record OrderItem(String column, boolean descending) {
    public OrderItem {
        TableName.requireIdentifier(column, "column");
    }

    public static OrderItem asc(String column) {
        return new OrderItem(column, false);
    }

    /** Parses {@code column [ASC|DESC]}. */
    public static OrderItem parse(String text) {
        String[] parts = text.trim().split("\\s+");
        if (parts.length == 1) {
            return new OrderItem(parts[0], false);
        }
        if (parts.length == 2 && parts[1].equalsIgnoreCase("desc")) {
            return new OrderItem(parts[0], true);
        }
        if (parts.length == 2 && parts[1].equalsIgnoreCase("asc")) {
            return new OrderItem(parts[0], false);
        }
        throw SafeMigrateException.invalid("invalid order '" + text + "': expected a column name, optionally followed by ASC or DESC");
    }

    @Override
    public String toString() {
        return descending ? column + " DESC" : column;
    }
}
