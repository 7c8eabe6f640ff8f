package dev.safemigrate.dialect.mysql;

import dev.safemigrate.core.spi.Db;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The shadow swap's rename, run on a connection of its own because the run's connection holds table
 * locks, under which MySQL refuses a rename. The thread owns its connection: if the run dies, the
 * rename still ends (done or failed) on its own, as it would after a killed process.
 */
final class Cutover {
    private static final long POLL_MILLIS = 10;
    private static final int LOCK_WAIT_TIMEOUT = 1205;

    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final Duration timeout;
    private volatile Statement statement;

    private Cutover(Duration timeout) {
        this.timeout = timeout;
    }

    /** Issues {@code rename} on {@code connection} (a second one, decorated like the run's), which it closes when the rename ended. */
    static Cutover start(Connection connection, Duration timeout, String rename) {
        Cutover cutover = new Cutover(timeout);
        Thread thread = new Thread(() -> cutover.execute(connection, rename), "safemigrate-cutover");
        thread.setDaemon(true);
        thread.start();
        return cutover;
    }

    private void execute(Connection connection, String rename) {
        try (connection; Statement s = connection.createStatement()) {
            // Bounds the wait behind other sessions' locks once the run has let go of its own: on the server, so the
            // rename ends even when the driver cannot reach the server to cancel it (no connection to spare), instead
            // of staying queued ahead of the table's readers and writers for the server's default (a day on MariaDB
            // 10.11); and by the driver too.
            int seconds = (int) Math.max(1, timeout.toSeconds());
            s.execute("SET SESSION lock_wait_timeout = " + seconds);
            s.setQueryTimeout(seconds);
            statement = s;
            s.execute(rename);
            done.complete(null);
        } catch (SQLException | RuntimeException e) {
            boolean timedOut = e instanceof SQLTimeoutException || e instanceof SQLException sql && sql.getErrorCode() == LOCK_WAIT_TIMEOUT;
            done.completeExceptionally(timedOut ? new SQLException("the table swap's RENAME TABLE waited " + timeout.toSeconds() + " s"
                    + " (--lock-timeout) for another session's lock on the tables, such as an open transaction that read them, and was"
                    + " cancelled", e) : e);
        }
    }

    /** Waits until {@code waitingQuery} counts the rename as queued for its locks; fails if it ended or never queued. */
    void awaitWaiting(Db db, String waitingQuery) throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (db.queryLong(waitingQuery) == 0) {
            if (done.isDone()) {
                await();
                throw new SQLException("the rename ended before the run released its locks");
            }
            if (System.nanoTime() > deadline) {
                throw new SQLException("the rename did not start waiting for the table locks within " + timeout.toSeconds() + " s");
            }
            pause();
        }
    }

    /** Cancels the rename until it has ended; only while the run still holds its locks, so it cannot have renamed anything. */
    void cancel() throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.isDone() && System.nanoTime() < deadline) {
            Statement s = statement;
            if (s != null) {
                s.cancel();
            }
            try {
                done.get(100, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // Ended with the cancellation's error, or still starting: checked again by the loop.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while cancelling the rename", e);
            }
        }
    }

    /** Waits for the rename to end; throws its failure. */
    void await() throws SQLException {
        try {
            done.get(timeout.toSeconds() + 5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof SQLException sql ? sql : new SQLException(e.getCause());
        } catch (TimeoutException e) {
            throw new SQLException("the rename did not end within " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for the rename", e);
        }
    }

    /** Waits for the rename to end, whatever its outcome; the catalog tells what it did. */
    void awaitQuietly() {
        try {
            await();
        } catch (SQLException ignored) {
            // Its failure is not the run's: whether it renamed anything is read from the catalog next.
        }
    }

    /** Waits until {@code runningQuery} counts no session running this run's rename (a crashed run's may still be queued). */
    static void awaitGone(Db db, Duration timeout, String runningQuery) throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (db.queryLong(runningQuery) > 0) {
            if (System.nanoTime() > deadline) {
                throw new SQLException("a rename of this run is still running after " + timeout.toSeconds() + " s");
            }
            pause();
        }
    }

    private static void pause() throws SQLException {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for the rename", e);
        }
    }
}
