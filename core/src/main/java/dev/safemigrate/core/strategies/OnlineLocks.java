package dev.safemigrate.core.strategies;

import dev.safemigrate.core.jdbc.LockRetry;
import dev.safemigrate.core.spi.DdlStatement;
import dev.safemigrate.core.spi.Db;
import dev.safemigrate.core.spi.LockWaitWatch;
import dev.safemigrate.core.spi.OnlineDdl;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

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

    /** Opens a connection beside the run's, for watching its lock waits; null where there is none (a dry run). */
    interface Monitor {
        Connection open() throws SQLException;
    }

    /** A statement the watchdog cancelled because it waited for its lock for max_lock_ms: tried again like a lock wait that ran out. */
    private static final class LockWaitCancelled extends SQLException {
        LockWaitCancelled(SQLException cause) {
            super("cancelled after waiting max_lock_ms for a metadata lock", cause);
        }
    }

    private final Db db;
    private final OnlineDdl ddl;
    private final Duration maxLock;
    private final Duration total;
    private final Monitor monitor;
    private int retries;
    private Duration longest = Duration.ZERO;

    /** {@code monitor}: where the dialect's DDL lock waits are watched ({@link OnlineDdl#lockWaitWatch}), or null. */
    OnlineLocks(Db db, OnlineDdl ddl, Duration maxLock, Duration total, Monitor monitor) {
        this.db = db;
        this.ddl = ddl;
        this.maxLock = maxLock;
        this.total = total;
        this.monitor = monitor;
    }

    /** Sets the session up: lock waits of {@code max_lock_ms}. */
    void begin() throws SQLException {
        db.execute(ddl.sessionFor(maxLock));
    }

    /** Gives the session back its defaults. */
    void end() throws SQLException {
        db.execute(ddl.defaultSession());
    }


    /** Runs {@code work}, tried again while its lock waits run out; returns what it returned. Its time counts as a lock held. */
    <T> T retrying(String what, Attempt<T> work) throws SQLException {
        return retrying(what, work, true);
    }

    private <T> T retrying(String what, Attempt<T> work, boolean holdsLocks) throws SQLException {
        return retrying(what, work, holdsLocks, ddl::lockWaitEnded);
    }

    private <T> T retrying(String what, Attempt<T> work, boolean holdsLocks, java.util.function.Predicate<SQLException> waitEnded) throws SQLException {
        Object[] result = new Object[1];
        retries += LockRetry.acquire(what, total, maxLock, slice -> {
            long start = System.nanoTime();
            try {
                result[0] = work.run();
            } catch (SQLException e) {
                if (waitEnded.test(e) || e instanceof LockWaitCancelled) {
                    return false;
                }
                throw e;
            }
            if (holdsLocks) {
                held(Duration.ofNanos(System.nanoTime() - start));
            }
            return true;
        });
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }

    /**
     * Runs each statement on its own, retried while its lock wait runs out. Each try runs it as the session would (where
     * that cannot wait a fraction of a second, as on MariaDB, it does not wait), then, if its lock was not free, bounded
     * to wait at most {@code max_lock_ms} ({@link OnlineDdl#waitingAtMost}): the second can wait for writers between
     * statements, and the first still serves a {@code max_lock_ms} too short for the statement's own work.
     */
    void statements(String what, List<String> statements) throws SQLException {
        for (String statement : statements) {
            String bounded = ddl.waitingAtMost(maxLock, statement);
            boolean hasBoundedForm = !bounded.equals(statement);
            retrying(what, () -> {
                try {
                    db.execute(statement);
                } catch (SQLException e) {
                    if (!hasBoundedForm || !ddl.lockWaitEnded(e)) {
                        throw e;
                    }
                    db.execute(bounded);
                }
                return null;
            }, true, e -> ddl.lockWaitEnded(e) || hasBoundedForm && ddl.statementLimitReached(e));
        }
    }

    /**
     * Runs online DDL: a statement that needs the table exclusively is retried in tries of {@code max_lock_ms}, and
     * its time counts as a lock held; any other goes to {@link #patiently}.
     */
    void ddl(String what, List<DdlStatement> statements) throws SQLException {
        for (DdlStatement statement : statements) {
            if (statement.exclusive()) {
                statements(what, List.of(statement.statement()));
            } else {
                patiently(what, List.of(statement.statement()));
            }
        }
    }

    /**
     * Runs statements nobody queues behind (an index built while writers go on; a work table filled by reading
     * the table without locking its rows): each may wait up to {@code --lock-timeout} for what it waits on, or
     * bounds its own brief waits and is tried again (MariaDB's {@code WAIT n}, whole seconds, which the dialect's
     * watchdog cuts at {@code max_lock_ms}: see {@link #watched}); its time is not a lock held.
     */
    void patiently(String what, List<String> statements) throws SQLException {
        db.execute(ddl.sessionFor(total));
        try {
            for (String statement : statements) {
                retrying(what, () -> {
                    watched(statement);
                    return null;
                }, false);
            }
        } finally {
            db.execute(ddl.sessionFor(maxLock));
        }
    }

    /** Runs {@code statement}, its metadata lock waits cut at max_lock_ms by a watchdog where the dialect has one. */
    private void watched(String statement) throws SQLException {
        Optional<LockWaitWatch> watch = ddl.lockWaitWatch();
        Connection beside = watch.isEmpty() || monitor == null ? null : monitor.open();
        if (beside == null) {
            db.execute(statement);
            return;
        }
        long session;
        try {
            session = db.queryLong(watch.get().sessionId());
        } catch (SQLException | RuntimeException e) {
            beside.close();
            throw e;
        }
        try (LockWaitWatchdog dog = LockWaitWatchdog.start(beside, watch.get(), session, maxLock)) {
            try {
                db.execute(statement);
            } catch (SQLException e) {
                throw dog.cancelled() ? new LockWaitCancelled(e) : e;
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
