package dev.safemigrate.core;

import java.util.Locale;

/** Where a migration stands, as {@code safemigrate_history.status} records it. */
public enum HistoryStatus {
    /** A run started and has not ended; {@code recover} (or the next {@code migrate}) finishes or reverses it. */
    IN_PROGRESS,
    APPLIED,
    /** A run failed and was reversed: the data is as it was; the migration can run again. */
    ROLLED_BACK,
    /** An interrupted run given up with {@code recover --abandon}: its changes stay, its archive tables are kept. */
    FAILED,
    /** Applied, then reversed by {@code undo}. */
    UNDONE;

    /** The value stored and printed: {@code in_progress}, {@code applied}, ... */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return value();
    }
}
