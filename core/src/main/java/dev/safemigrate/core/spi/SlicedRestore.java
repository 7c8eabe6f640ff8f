package dev.safemigrate.core.spi;

import java.sql.SQLException;

/**
 * A strategy's own way of putting a run's data back from its archives, instead of the journal's restores in one
 * transaction: an online run's, in short transactions while writers go on. It runs once what the run created is
 * dropped, and before the archives are emptied and the run is recorded as reversed.
 */
public interface SlicedRestore {
    Restored restore(Progress progress) throws SQLException;

    /**
     * Runs {@code statement}, which drops an object the run created (before the slices), its lock waits bounded as the
     * strategy bounds its own, so writers do not queue behind it.
     */
    void drop(String statement) throws SQLException;

    /** The run being reversed, between slices. */
    interface Progress {
        /** The phase its history row records now: where an interrupted reversal stopped, if one did. */
        RunPhase phase();

        /** Records {@code phase} in its history row (inside a slice's transaction, it commits with the slice). */
        void record(RunPhase phase);

        /** Runs {@code work} in one transaction of the run's connection. */
        <T> T inTransaction(Run.Work<T> work) throws SQLException;
    }

    /**
     * Rows and values put back, in how many transactions, the longest of them, and what was left as it is and why
     * ({@code left} rows; empty text where everything was put back).
     */
    record Restored(long restored, int transactions, java.time.Duration longest, long left, String leftAsItIs) {
    }

    /** A restore that failed after some of its transactions committed; the message says what they put back. */
    final class Partly extends SQLException {
        public Partly(String done, Throwable cause) {
            super(done, cause);
        }
    }
}
