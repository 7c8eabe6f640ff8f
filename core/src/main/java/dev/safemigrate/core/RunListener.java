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

    /**
     * Online mode committed chunk {@code chunk} of about {@code estimatedChunks} (the estimate follows the chunk
     * size), having removed {@code rowsDone} of about {@code rowsTotal} duplicate rows in {@code elapsed}.
     */
    default void chunkDone(String id, int chunk, int estimatedChunks, long rowsDone, long rowsTotal, Duration elapsed) {
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
        /** Online mode: the key guard is in place and the duplicate groups are counted; no chunk has run yet. */
        public static final String GUARDED = "guarded";
        /** Online mode: a chunk committed (reached after each one). */
        public static final String CHUNK_COMMITTED = "chunk_committed";
        /** Online mode: every chunk committed and late child rows repointed; the constraint is not built yet. */
        public static final String CHUNKS_DONE = "chunks_done";
        /** Online mode and {@code galera_fenced}: the unique constraint exists; the guard (the fence) is still in place. */
        public static final String CONSTRAINED = "constrained";

        private Phase() {
        }
    }
}
