package dev.safemigrate.core.strategies;

import dev.safemigrate.core.jdbc.LockRetry;
import dev.safemigrate.core.spi.DdlStatement;
import dev.safemigrate.core.spi.Db;
import dev.safemigrate.core.spi.OnlineDdl;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * Runs online mode's work that takes locks writers could queue behind: each try waits at most {@code max_lock_ms}
 * (the session is set up for that), a try whose lock wait ran out is tried again after a growing pause, until
 * {@code --lock-timeout}. Counts the tries that ran out and the longest the run held such a lock.
 */
final class OnlineLocks {
    /** Work done in one try, e.g. one chunk's transaction. */
    interface Attempt<T> {
        T run() throws SQLException;
    }

    private final Db db;
    private final OnlineDdl ddl;
    private final Duration maxLock;
    private final Duration total;
    private int retries;
    private Duration longest = Duration.ZERO;

    OnlineLocks(Db db, OnlineDdl ddl, Duration maxLock, Duration total) {
        this.db = db;
        this.ddl = ddl;
        this.maxLock = maxLock;
        this.total = total;
    }

    /** Sets the session up: lock waits of {@code max_lock_ms}. */
    void begin() throws SQLException {
        execute(ddl.sessionFor(maxLock));
    }

    /** Gives the session back its defaults. */
    void end() throws SQLException {
        execute(ddl.defaultSession());
    }

    private void execute(List<String> statements) throws SQLException {
        for (String statement : statements) {
            db.execute(statement);
        }
    }

    /** Runs {@code work}, tried again while its lock waits run out; returns what it returned. */
    <T> T retrying(String what, Attempt<T> work) throws SQLException {
        Object[] result = new Object[1];
        retries += LockRetry.acquire(what, total, maxLock, slice -> {
            long start = System.nanoTime();
            try {
                result[0] = work.run();
            } catch (SQLException e) {
                if (ddl.lockWaitEnded(e)) {
                    return false;
                }
                throw e;
            }
            held(Duration.ofNanos(System.nanoTime() - start));
            return true;
        });
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }

    /** Runs each statement on its own, retried while its lock wait runs out. */
    void statements(String what, List<String> statements) throws SQLException {
        for (String statement : statements) {
            retrying(what, () -> {
                db.execute(statement);
                return null;
            });
        }
    }

    /**
     * Runs online DDL: a statement that needs the table briefly is retried in tries of {@code max_lock_ms}; any
     * other (an index built while writers go on, which only waits for transactions to end) may wait up to
     * {@code --lock-timeout}, since nobody queues behind it.
     */
    void ddl(String what, List<DdlStatement> statements) throws SQLException {
        for (DdlStatement statement : statements) {
            if (statement.exclusive()) {
                statements(what, List.of(statement.statement()));
            } else {
                execute(ddl.sessionFor(total));
                try {
                    db.execute(statement.statement());
                } finally {
                    execute(ddl.sessionFor(maxLock));
                }
            }
        }
    }

    /** Records that the run held a lock writers could wait on for {@code duration}. */
    void held(Duration duration) {
        if (duration.compareTo(longest) > 0) {
            longest = duration;
        }
    }

    int retries() {
        return retries;
    }

    Duration longest() {
        return longest;
    }
}
