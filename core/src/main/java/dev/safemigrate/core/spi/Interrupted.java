package dev.safemigrate.core.spi;

import dev.safemigrate.core.HistoryEntry;
import dev.safemigrate.core.HistoryStatus;
import java.sql.SQLException;
import java.time.Duration;

/**
 * A run that was interrupted, as {@code recover} finds it: its history row and journal, and the database,
 * without the rules file. {@link #completeOrReverse} is what the built-in strategies do with one.
 */
public interface Interrupted {
    HistoryEntry entry();

    RunJournal journal();

    Dialect dialect();

    Db db();

    Catalog catalog();

    Duration lockTimeout();

    /**
     * Where the data changes were committed: runs the journaled DDL that is missing, else (if that fails)
     * puts everything back from the archive; exit 5 with every blocker named when neither is possible.
     * Where nothing was committed: removes the empty archives and marks the run rolled back.
     */
    String completeOrReverse() throws SQLException;

    /**
     * Puts back everything the run's committed data changes did, from the archive (dropping what its journaled
     * DDL created first), and marks it rolled back with {@code reason}; says what it did. Exit 5, naming them,
     * where rows inserted since hold keys the restore needs. For strategies whose runs cannot be completed
     * without their rules file.
     */
    String reverse(String reason) throws SQLException;

    /**
     * As {@link #reverse(String)}, with the data put back by {@code sliced} in transactions of its own; exit 5 saying
     * what its slices put back where it fails after some committed.
     */
    String reverse(String reason, SlicedRestore sliced) throws SQLException;

    /** Records the end of the run in its history row. */
    void save(HistoryStatus status, String message);

    /** Drops the run's empty archive tables (never one that holds rows) and forgets them; a note for messages. */
    String discardArchives();
}
