package dev.safemigrate.core.internal;

/** The values of {@code safemigrate_history.status}. */
final class HistoryStatus {
    static final String IN_PROGRESS = "in_progress";
    static final String APPLIED = "applied";
    static final String ROLLED_BACK = "rolled_back";
    static final String FAILED = "failed";
    static final String UNDONE = "undone";

    /** Phases of an {@code in_progress} compensating run. */
    static final String PREPARING = "preparing";
    /** The single-transaction strategy's only phase: nothing of it is visible until it commits. */
    static final String RUNNING = "running";
    static final String DML_DONE = "dml_done";
    static final String DDL_PREFIX = "ddl:";
    /** An applied migration whose undo has started dropping what it created. */
    static final String UNDOING = "undoing";

    private HistoryStatus() {
    }
}
