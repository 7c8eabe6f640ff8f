package dev.safemigrate.dialect.galera;

import dev.safemigrate.core.spi.MigrationLock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster-wide run lock: a lease row in {@code safemigrate_lease} (InnoDB, so replicated), taken and renewed
 * with autocommit UPDATEs that Galera certifies cluster-wide: of two nodes taking it at once exactly one changes
 * the row (300 of 300 rounds, docs/galera-notes.md section 2). The holder's heartbeat adds one to {@code beat}
 * every {@link #BEAT}. A waiter that sees the same owner and beat for {@link #LEASE} takes the row over with an
 * UPDATE conditional on what it saw, so a crashed holder (its process or its node killed) blocks others for at
 * most the lease. Times are measured by the waiter's own clock, never compared across nodes, so clock skew
 * does not matter; a read that itself took long (the cluster stalled, e.g. by a DDL in total order, which also
 * holds the heartbeat's write) starts the waiter's count again. A holder whose heartbeat finds the row taken
 * over aborts its run's connection rather than run on beside the new holder.
 */
final class GaleraLease implements MigrationLock {
    static final Duration LEASE = Duration.ofSeconds(20);
    static final Duration BEAT = Duration.ofSeconds(2);
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration STALLED_READ = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(GaleraLease.class);
    private static final String ROW = "run";

    @Override
    public Held acquire(Connection session, Supplier<Connection> extraConnection, Duration timeout) throws SQLException {
        Connection connection = extraConnection.get();
        try {
            String owner = UUID.randomUUID() + " pid " + ProcessHandle.current().pid();
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET SESSION wsrep_sync_wait = 1");
                statement.execute("CREATE TABLE IF NOT EXISTS safemigrate_lease (name VARCHAR(64) NOT NULL PRIMARY KEY, owner VARCHAR(200) NULL,"
                        + " beat BIGINT NOT NULL DEFAULT 0, taken_at TIMESTAMP(6) NULL) ENGINE = InnoDB");
                statement.execute("INSERT IGNORE INTO safemigrate_lease (name) VALUES ('" + ROW + "')");
            }
            if (!take(connection, owner, timeout)) {
                connection.close();
                return null;
            }
            return new Heartbeat(connection, owner, session);
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** Waits until the row is free, or its holder's beat has stood still for the lease, and takes it; false after {@code timeout}. */
    private static boolean take(Connection connection, String owner, Duration timeout) throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String seen = null;
        long seenSince = System.nanoTime();
        while (true) {
            long before = System.nanoTime();
            String[] row = read(connection);
            long after = System.nanoTime();
            if (row[0] == null) {
                if (update(connection, "UPDATE safemigrate_lease SET owner = ?, beat = beat + 1, taken_at = NOW(6) WHERE name = ? AND owner IS NULL",
                        owner, ROW) == 1) {
                    return true;
                }
            } else {
                String current = row[0] + "#" + row[1];
                if (!current.equals(seen) || after - before > STALLED_READ.toNanos()) {
                    seen = current;
                    seenSince = after;
                } else if (after - seenSince >= LEASE.toNanos() && update(connection, "UPDATE safemigrate_lease SET owner = ?, beat = beat + 1,"
                        + " taken_at = NOW(6) WHERE name = ? AND owner = ? AND beat = ?", owner, ROW, row[0], row[1]) == 1) {
                    LOG.warn("took over the migration lock from {}, whose heartbeat stood still for {} s", row[0], LEASE.toSeconds());
                    return true;
                }
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            sleep(Math.min(POLL.toMillis(), Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
        }
    }

    private static String[] read(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT owner, beat FROM safemigrate_lease WHERE name = ?")) {
            statement.setString(1, ROW);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return new String[] {rows.getString(1), rows.getString(2)};
            }
        }
    }

    private static int update(Connection connection, String sql, String... values) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setString(i + 1, values[i]);
            }
            return statement.executeUpdate();
        }
    }

    private static void sleep(long millis) throws SQLException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for the migration lock", e);
        }
    }

    /** The held lease: renewed every {@link #BEAT} on its own connection until closed. */
    private static final class Heartbeat implements Held {
        private final Connection connection;
        private final String owner;
        private final Connection session;
        private final ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "safemigrate-galera-lease");
            thread.setDaemon(true);
            return thread;
        });

        Heartbeat(Connection connection, String owner, Connection session) {
            this.connection = connection;
            this.owner = owner;
            this.session = session;
            beats.scheduleWithFixedDelay(this::beat, BEAT.toMillis(), BEAT.toMillis(), TimeUnit.MILLISECONDS);
        }

        /**
         * A failed beat (connection lost) is only logged: the lease runs out unless a later beat succeeds. A beat that
         * finds the row taken over ends the run's session, so two runs never change the database together.
         */
        private void beat() {
            try {
                if (update(connection, "UPDATE safemigrate_lease SET beat = beat + 1 WHERE name = ? AND owner = ?", ROW, owner) == 0) {
                    LOG.error("the migration lock was taken over by another run; aborting this run's connection");
                    beats.shutdown();
                    session.abort(Runnable::run);
                }
            } catch (SQLException | RuntimeException e) {
                LOG.warn("renewing the migration lock failed ({}); it expires {} s after the last renewal", e.getMessage(), LEASE.toSeconds());
            }
        }

        @Override
        public void close() throws SQLException {
            beats.shutdownNow();
            try {
                beats.awaitTermination(LEASE.toMillis(), TimeUnit.MILLISECONDS);
                update(connection, "UPDATE safemigrate_lease SET owner = NULL, taken_at = NULL WHERE name = ? AND owner = ?", ROW, owner);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                connection.close();
            }
        }
    }
}
