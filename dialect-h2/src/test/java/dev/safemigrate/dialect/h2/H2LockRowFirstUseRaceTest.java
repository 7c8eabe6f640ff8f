package dev.safemigrate.dialect.h2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.spi.MigrationLock;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Two runs starting together on a database that has no lock table yet both created the lock row, and
 * the second failed with a primary-key violation instead of waiting for the lock. The race is also played
 * step by step: a run whose insert of the row waits behind another first run's, and a row deleted by hand.
 */
class H2LockRowFirstUseRaceTest {
    private static final int ROUNDS = 30;
    private static final int RUNS = 4;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    @Test
    void runsStartingTogetherOnAFreshDatabaseAllGetTheLockInTurn() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String url = "jdbc:h2:mem:lock_race_" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1";
            CyclicBarrier start = new CyclicBarrier(RUNS);
            List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger acquired = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                threads.add(new Thread(() -> {
                    try (Connection session = DriverManager.getConnection(url, "sa", "")) {
                        start.await();
                        try (MigrationLock.Held held = new H2LockRow().acquire(session, () -> open(url), Duration.ofSeconds(10))) {
                            assertThat(held).isNotNull();
                            acquired.incrementAndGet();
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread thread : threads) {
                thread.join();
            }
            assertThat(errors).as("round " + round).isEmpty();
            assertThat(acquired).hasValue(RUNS);
            try (Connection last = open(url)) {
                last.createStatement().execute("SHUTDOWN");
            }
        }
    }

    /**
     * The other first run between its insert of the row and that insert's commit: this run's insert waits for it and
     * then finds the key taken, which means the row is there, and takes the lock (the other run, coming next, waits).
     */
    @Test
    void aRunWhoseInsertOfTheRowMeetsAnotherFirstRunsOpenInsertWaitsAndThenTakesTheLock() throws Exception {
        String url = "jdbc:h2:mem:lock_race_" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1";
        try (Connection first = open(url); Connection session = open(url); Statement other = first.createStatement()) {
            other.execute("CREATE TABLE safemigrate_lock (id INT PRIMARY KEY, owner VARCHAR(200), acquired_at TIMESTAMP)");
            first.setAutoCommit(false);
            other.execute("INSERT INTO safemigrate_lock (id) VALUES (1)");
            CompletableFuture<MigrationLock.Held> second = CompletableFuture.supplyAsync(() -> acquire(session, url, Duration.ofSeconds(20)));

            awaitBlockedBy(first, "INSERT INTO safemigrate_lock");
            assertThat(second).as("waits for the other run's insert").isNotDone();
            first.commit();

            try (MigrationLock.Held held = second.get(20, TimeUnit.SECONDS)) {
                assertThat(held).isNotNull();
                assertThat(ids(first)).containsExactly(1);
                assertHeld(url);
            }
        }
    }

    /** A lock row deleted by hand (to "clear" the lock) while a run waits for it: the run makes it again and holds the lock. */
    @Test
    void aLockRowDeletedByHandWhileARunWaitsIsMadeAgainAndTheRunHoldsTheLock() throws Exception {
        String url = "jdbc:h2:mem:lock_race_" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1";
        try (Connection user = open(url); Connection session = open(url); Statement delete = user.createStatement()) {
            acquire(session, url, Duration.ofSeconds(5)).close();
            user.setAutoCommit(false);
            assertThat(delete.executeUpdate("DELETE FROM safemigrate_lock")).isEqualTo(1);
            CompletableFuture<MigrationLock.Held> waiting = CompletableFuture.supplyAsync(() -> acquire(session, url, Duration.ofSeconds(20)));

            awaitBlockedBy(user, "UPDATE safemigrate_lock");
            user.commit();

            try (MigrationLock.Held held = waiting.get(20, TimeUnit.SECONDS)) {
                assertThat(held).isNotNull();
                assertThat(ids(user)).containsExactly(1);
                assertHeld(url);
            }
        }
    }

    private static MigrationLock.Held acquire(Connection session, String url, Duration timeout) {
        try {
            return new H2LockRow().acquire(session, () -> open(url), timeout);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until a session runs {@code statement} blocked by {@code holder}'s locks. */
    private static void awaitBlockedBy(Connection holder, String statement) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        try (Connection watcher = DriverManager.getConnection(holder.getMetaData().getURL(), "sa", "");
                PreparedStatement blocked = watcher.prepareStatement("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS"
                        + " WHERE BLOCKER_ID = ? AND EXECUTING_STATEMENT LIKE ?")) {
            blocked.setInt(1, sessionId(holder));
            blocked.setString(2, statement + "%");
            while (true) {
                try (ResultSet rows = blocked.executeQuery()) {
                    rows.next();
                    if (rows.getInt(1) > 0) {
                        return;
                    }
                }
                assertThat(System.nanoTime()).as("a session blocked in " + statement).isLessThan(deadline);
                Thread.sleep(10);
            }
        }
    }

    private static int sessionId(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT SESSION_ID()")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /** The rows of the lock table (the holder's owner is uncommitted, so only the ids are seen from outside). */
    private static List<Integer> ids(Connection connection) throws SQLException {
        List<Integer> ids = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT id FROM safemigrate_lock")) {
            while (rows.next()) {
                ids.add(rows.getInt(1));
            }
        }
        return ids;
    }

    /** Another run gives up after its timeout: the lock is held. */
    private static void assertHeld(String url) throws SQLException {
        try (Connection another = open(url)) {
            assertThat(acquire(another, url, Duration.ofMillis(300))).as("another run gives up: the lock is held").isNull();
        }
    }

    private static Connection open(String url) {
        try {
            return DriverManager.getConnection(url, "sa", "");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
