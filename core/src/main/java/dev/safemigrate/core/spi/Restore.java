package dev.safemigrate.core.spi;

/**
 * One statement that puts data back from an archive. {@code untilNoRows}: run again until it changes no
 * row, for restores that must go in generations (parents before their children, where the database checks
 * a foreign key row by row).
 */
public record Restore(String statement, boolean untilNoRows) {
    public static Restore once(String statement) {
        return new Restore(statement, false);
    }

    public static Restore untilNoRows(String statement) {
        return new Restore(statement, true);
    }
}
