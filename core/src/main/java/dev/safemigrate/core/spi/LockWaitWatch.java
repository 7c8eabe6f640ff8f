package dev.safemigrate.core.spi;

/**
 * Where a DDL statement cannot bound its own lock wait below a second (MariaDB's {@code WAIT n} takes whole seconds),
 * the queries that let a second connection watch it: writers queue behind a statement waiting for the table's
 * metadata lock, so the run cancels one that has waited for {@code max_lock_ms} and tries it again later.
 */
public interface LockWaitWatch {
    /** A query returning the run's session id, on the run's connection. */
    String sessionId();

    /** A query returning the id of the statement that session {@code session} runs while it waits for a table's metadata lock, else 0. */
    String waitingStatement(long session);

    /** Cancels the statement {@code statement} (an id from {@link #waitingStatement}); a statement that has ended meanwhile is not touched. */
    String cancel(long statement);
}
