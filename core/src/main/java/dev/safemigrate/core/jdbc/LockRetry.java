package dev.safemigrate.core.jdbc;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Takes a lock that others may hold without making anyone queue behind a wait: each attempt waits at most
 * {@link #SLICE} (a database queues later readers and writers behind a waiting lock request, so they wait
 * no longer than that), then lets go and pauses, with growing, jittered pauses, until the lock is taken or
 * {@code total} has passed.
 */
public final class LockRetry {
    /** How long one attempt may wait, and so the longest anyone queues behind a migration that is only waiting. */
    public static final Duration SLICE = Duration.ofMillis(100);
    private static final long FIRST_PAUSE_MILLIS = 50;
    private static final long MAX_PAUSE_MILLIS = 1000;

    /** One attempt: waits at most {@code slice}; true when the lock was taken, false when the wait ran out. */
    public interface Attempt {
        boolean tryOnce(Duration slice) throws SQLException;
    }

    private LockRetry() {
    }

    /** Tries until {@code attempt} succeeds; after {@code total} throws an SQLException naming {@code what}. Returns the failed attempts. */
    public static void acquire(String what, Duration total, Attempt attempt) throws SQLException {
        acquire(what, total, SLICE, attempt);
    }

    /** As {@link #acquire(String, Duration, Attempt)}, each attempt waiting at most {@code slice} (online mode's {@code max_lock_ms}). */
    public static int acquire(String what, Duration total, Duration slice, Attempt attempt) throws SQLException {
        long deadline = System.nanoTime() + total.toNanos();
        long pause = FIRST_PAUSE_MILLIS;
        int attempts = 0;
        while (true) {
            attempts++;
            if (attempt.tryOnce(slice)) {
                return attempts - 1;
            }
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new SQLException("could not lock " + what + " within " + total.toSeconds() + " s (--lock-timeout): other sessions"
                        + " held conflicting locks through " + attempts + " attempt(s) of " + slice.toMillis() + " ms each");
            }
            sleep(Math.min(left, pause + ThreadLocalRandom.current().nextLong(pause / 2 + 1)));
            pause = Math.min(MAX_PAUSE_MILLIS, pause * 2);
        }
    }

    private static void sleep(long millis) throws SQLException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting to retry a lock", e);
        }
    }
}
