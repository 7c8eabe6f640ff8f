package dev.safemigrate.core.jdbc;

import java.sql.SQLException;
import java.time.Duration;

/**
 * Waits for a lock by trying it without waiting, again and again, so that the wait is ours: its timeout is exact, and an
 * interrupt ends it at once (a wait inside the database is deaf to it: MySQL's {@code GET_LOCK} went on for the whole
 * timeout). See {@link dev.safemigrate.core.spi.MigrationLock#acquire}.
 */
public final class LockPoll {
    /** One try that does not wait; true when the lock was taken. */
    public interface Attempt {
        boolean tryOnce() throws SQLException;
    }

    private LockPoll() {
    }

    /**
     * Tries every {@code every} until {@code attempt} succeeds (true) or {@code timeout} has passed (false). An interrupt
     * ends the wait with an SQLException, the thread's interrupt status kept, so the run says it was interrupted.
     */
    public static boolean until(Duration timeout, Duration every, Attempt attempt) throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!attempt.tryOnce()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                Thread.sleep(Math.min(every.toMillis(), Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting for the migration lock", e);
            }
        }
        return true;
    }
}
