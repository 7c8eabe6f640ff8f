package dev.safemigrate.core.spi;

/**
 * How far an {@code in_progress} run got, as its history row records it, so {@code recover} knows what is
 * committed. Strategies name phases of their own ({@code new RunPhase("swapping")}).
 */
public record RunPhase(String value) {
    /** Nothing of the data is committed yet; archive tables may exist. */
    public static final RunPhase PREPARING = new RunPhase("preparing");
    /** The single transaction's only phase: nothing of it is visible until it commits. */
    public static final RunPhase RUNNING = new RunPhase("running");
    /** The data transaction committed; no DDL has run yet. */
    public static final RunPhase DML_DONE = new RunPhase("dml_done");
    /** An applied migration whose archive tables the rules asked not to keep are being dropped. */
    public static final RunPhase DISCARDING = new RunPhase("discarding");
    /** An applied migration whose undo has started dropping what it created. */
    public static final RunPhase UNDOING = new RunPhase("undoing");
    private static final String DDL = "ddl:";

    /** The data transaction committed and DDL statement {@code number} (from 1) is about to run. */
    public static RunPhase ddl(int number) {
        return new RunPhase(DDL + number);
    }

    /** Whether the run's data changes are committed in this phase ({@link #DML_DONE} or a DDL phase). */
    public boolean dataCommitted() {
        return this.equals(DML_DONE) || value.startsWith(DDL);
    }

    @Override
    public String toString() {
        return value;
    }
}
