package dev.safemigrate.core.spi;

/**
 * A query, run before an {@code undo} (and before a reversal that runs after other sessions could write),
 * listing the keys of rows that stop the data from being put back exactly; {@code what} says what such a
 * row is, for the message. {@code overridable}: rows changed since the migration, which an undo told to go
 * ahead anyway ({@code --force}) may overwrite; otherwise rows that make the restore itself fail (a key
 * already taken), which nothing overrides.
 */
public record UndoBlocker(String query, String what, boolean overridable) {
    /** Rows inserted since that hold the key of a row to put back. */
    public static UndoBlocker keyTaken(String query, String what) {
        return new UndoBlocker(query, what, false);
    }

    /** Rows the migration changed that were changed again (or deleted) since. */
    public static UndoBlocker changedSince(String query, String what) {
        return new UndoBlocker(query, what, true);
    }
}
