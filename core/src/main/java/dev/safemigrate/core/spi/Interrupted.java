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

    /**
     * Whether the {@code migrate} that recovers this run was given a changed rules file of the same migration (another
     * checksum): that file replaces the run, so a strategy that could finish the run reverses it instead, and migrate then
     * runs the changed file from the start.
     */
    boolean superseded();

    /**
     * Finishes the run as the next {@code migrate} of its unchanged rules file would, for a strategy that resumes its runs
     * ({@link Strategy#resumes}) and journaled {@code migration} (rebuilt from that journal: id, description and checksum
     * the history's): plans it again, then hands it to the strategy's {@link Strategy#run} with this run's phase as
     * {@link Run#resumedFrom}. Returns that run's report; a failure of that run is its own (reversed, or exit 5), as for
     * migrate. {@link NotResumable} when planning refuses it (the database changed since), before anything ran.
     */
    dev.safemigrate.core.MigrationReport.Result resume(dev.safemigrate.core.model.Migration migration) throws SQLException, NotResumable;

    /** Planning the rebuilt migration refused it: nothing ran, the run is as it was interrupted. */
    final class NotResumable extends Exception {
        public NotResumable(String reason, Throwable cause) {
            super(reason, cause);
        }
    }

    /** Records the end of the run in its history row. */
    void save(HistoryStatus status, String message);

    /** Drops the run's empty archive tables (never one that holds rows) and forgets them; a note for messages. */
    String discardArchives();
}
