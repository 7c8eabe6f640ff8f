package dev.safemigrate.core;

import java.time.Duration;

/**
 * Hears how a run progresses: for progress output, and as a seam to stop a run at a phase. A runtime
 * exception thrown from a method fails the run at that point, handled as a database error there would be
 * (the demo injects its fault this way).
 */
public interface RunListener {
    RunListener NONE = new RunListener() { };

    /** Step {@code number} of {@code total} of migration {@code id} starts. */
    default void stepStarted(String id, int number, int total, String summary) {
    }

    /** Step {@code number} finished, having affected {@code rows} rows. */
    default void stepFinished(String id, int number, int total, String summary, long rows, Duration elapsed) {
    }

    /** The run of migration {@code id} reached {@code phase} (see {@link Phase}). */
    default void phaseReached(String id, String phase) {
    }

    /**
     * The phase names every built-in strategy passes to {@link #phaseReached}. They are names, not an enum:
     * a strategy from a dialect module may report phases of its own.
     */
    final class Phase {
        /** Archive tables exist; no data has changed yet. */
        public static final String PREPARED = "prepared";
        /** Compensating strategy: the data transaction committed, no DDL has run yet. */
        public static final String BETWEEN_PHASES = "between_phases";
        /**
         * Every DML step applied, not yet committed: inside the data transaction; for the shadow swap, the copy
         * is made and the rename is queued, not yet run.
         */
        public static final String DML_APPLIED = "dml_applied";

        private Phase() {
        }
    }
}
