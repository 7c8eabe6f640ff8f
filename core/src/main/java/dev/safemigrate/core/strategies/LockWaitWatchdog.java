package dev.safemigrate.core.strategies;

import dev.safemigrate.core.spi.LockWaitWatch;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Watches, from a second connection, one statement of the run's session ({@link LockWaitWatch}): once it has been
 * seen waiting for a table's metadata lock for {@code maxLock} (polled every {@value #POLL_MS} ms), cancels it, so
 * the writers queued behind that wait wait no longer. A watch that fails stops watching (the statement's own
 * whole-second wait still bounds it).
 */
final class LockWaitWatchdog implements AutoCloseable {
    private static final long POLL_MS = 20;

    private final Connection monitor;
    private final LockWaitWatch watch;
    private final long session;
    private final long maxLockNanos;
    private final Thread thread;
    private volatile boolean stopped;
    private volatile boolean fired;

    private LockWaitWatchdog(Connection monitor, LockWaitWatch watch, long session, Duration maxLock) {
        this.monitor = monitor;
        this.watch = watch;
        this.session = session;
        this.maxLockNanos = maxLock.toNanos();
        this.thread = new Thread(this::watch, "safemigrate-lock-watch");
        thread.setDaemon(true);
    }

    /** Starts watching session {@code session} on {@code monitor}, which {@link #close} closes. */
    static LockWaitWatchdog start(Connection monitor, LockWaitWatch watch, long session, Duration maxLock) {
        LockWaitWatchdog dog = new LockWaitWatchdog(monitor, watch, session, maxLock);
        dog.thread.start();
        return dog;
    }

    /** Stops watching; whether it cancelled the statement (after a cancel under way: the statement's error can come first). */
    boolean cancelled() {
        stop();
        return fired;
    }

    private void stop() {
        stopped = true;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void watch() {
        long waiting = 0;
        long since = 0;
        try (Statement statement = monitor.createStatement()) {
            while (!stopped) {
                long id;
                try (ResultSet rs = statement.executeQuery(watch.waitingStatement(session))) {
                    id = rs.next() ? rs.getLong(1) : 0;
                }
                long now = System.nanoTime();
                if (id != waiting) {
                    waiting = id;
                    since = now;
                } else if (id != 0 && now - since >= maxLockNanos && !stopped) {
                    statement.execute(watch.cancel(id));
                    fired = true;
                    return;
                }
                Thread.sleep(POLL_MS);
            }
        } catch (SQLException | RuntimeException e) {
            // Unwatched, the statement's own wait bounds it.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws SQLException {
        try {
            stop();
        } finally {
            monitor.close();
        }
    }
}
