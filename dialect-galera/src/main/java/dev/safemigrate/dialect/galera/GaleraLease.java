package dev.safemigrate.dialect.galera;

import dev.safemigrate.core.jdbc.JdbcCatalog;
import dev.safemigrate.core.jdbc.OwnTable;
import dev.safemigrate.core.spi.MigrationLock;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
 * every {@link #BEAT}. A waiter that sees the same owner and beat for the takeover time takes the row over with an
 * UPDATE conditional on what it saw, so a crashed holder (its process or its node killed) blocks others for at
 * most the lease. Times are measured by the waiter's own clock, never compared across nodes, so clock skew
 * does not matter; a read that itself took long (the cluster stalled, e.g. by a DDL in total order, which also
 * holds the heartbeat's write) starts the waiter's count again. A holder whose heartbeat finds the row taken
 * over aborts its run's connection rather than run on beside the new holder.
 *
 * <p>The takeover time is the row's {@code takeover_seconds} ({@link #LEASE} unless changed with SQL, never less than
 * {@link #SHORTEST}): a setting of the database, so every run on every node waits the same. A shorter one frees the
 * lock of a crashed run sooner (the node-kill tests use 5 s) at the price of taking it from a live holder whose
 * heartbeat was held up that long.
 */
final class GaleraLease implements MigrationLock {
    static final Duration LEASE = Duration.ofSeconds(20);
    static final Duration BEAT = Duration.ofSeconds(2);
    /** Two heartbeats and a half: one late or lost heartbeat alone never lets a waiter take the lock. */
    static final Duration SHORTEST = Duration.ofSeconds(5);
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration STALLED_READ = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(GaleraLease.class);
    private static final String ROW = "run";
    /** Of each host name in the owner, which holds 200 characters (see {@link #owner(String, long, String, long, String)}). */
    private static final int HOST_LENGTH = 60;

    @Override
    public Held acquire(Connection session, Supplier<Connection> extraConnection, Duration timeout) throws SQLException {
        Connection connection = extraConnection.get();
        try {
            String owner;
            try (Statement statement = connection.createStatement()) {
                syncReads(statement);
                owner = owner(statement);
                // takeover_seconds is not required: a lease table made before it existed gets it (addTakeoverColumn).
                OwnTable.requireColumns(new JdbcCatalog(connection, true), "safemigrate_lease", List.of("name", "owner", "beat", "taken_at"),
                        "the cluster's run lock");
                statement.execute("CREATE TABLE IF NOT EXISTS safemigrate_lease (name VARCHAR(64) NOT NULL PRIMARY KEY, owner VARCHAR(200) NULL,"
                        + " beat BIGINT NOT NULL DEFAULT 0, taken_at TIMESTAMP(6) NULL, takeover_seconds INT NOT NULL DEFAULT " + LEASE.toSeconds()
                        + ") ENGINE = InnoDB");
                addTakeoverColumn(statement);
                statement.execute("INSERT IGNORE INTO safemigrate_lease (name) VALUES ('" + ROW + "')");
            }
            if (!take(connection, owner, timeout)) {
                connection.close();
                return null;
            }
            return new Heartbeat(connection, owner, session, extraConnection);
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** The lease's reads wait until the node has applied what the cluster committed before them. */
    private static void syncReads(Statement statement) throws SQLException {
        statement.execute("SET SESSION wsrep_sync_wait = 1");
    }

    /**
     * Names this run for the row, so that a run that gives up waiting can say who holds it: the client's host and process,
     * and the lease's connection on its node (a random part keeps two runs of one process apart).
     */
    private static String owner(Statement statement) throws SQLException {
        long connection;
        String node;
        try (ResultSet rows = statement.executeQuery("SELECT CONNECTION_ID(), @@hostname, @@port")) {
            rows.next();
            connection = rows.getLong(1);
            node = rows.getString(2) + ":" + rows.getInt(3);
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "an unnamed host";
        }
        return owner(UUID.randomUUID().toString().substring(0, 8), ProcessHandle.current().pid(), host, connection, node);
    }

    /**
     * The owner column holds 200 characters and host names may have 253: each is cut to {@link #HOST_LENGTH}, so the
     * value always fits, and the run's random part, which keeps two owners apart, is never what is cut.
     */
    static String owner(String run, long pid, String clientHost, long connection, String node) {
        return "run " + run + ", process " + pid + " on " + cut(clientHost) + ", connection " + connection + " on node " + cut(node);
    }

    private static String cut(String host) {
        return host.length() <= HOST_LENGTH ? host : host.substring(0, HOST_LENGTH - 3) + "...";
    }

    @Override
    public Optional<String> holder(Connection session) throws SQLException {
        try (Statement statement = session.createStatement();
                ResultSet rows = statement.executeQuery("SELECT owner, taken_at, beat FROM safemigrate_lease WHERE name = '" + ROW + "'")) {
            if (!rows.next() || rows.getString(1) == null) {
                return Optional.empty();
            }
            return Optional.of("held by " + rows.getString(1) + ", since " + rows.getString(2) + " (the clock of the node it was taken on),"
                    + " heartbeat " + rows.getLong(3));
        }
    }

    /** A lease table made before {@code takeover_seconds} existed gets it (asked of the catalog: an ALTER is DDL the whole cluster waits for). */
    private static void addTakeoverColumn(Statement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                + " AND TABLE_NAME = 'safemigrate_lease' AND COLUMN_NAME = 'takeover_seconds'")) {
            rows.next();
            if (rows.getInt(1) > 0) {
                return;
            }
        }
        statement.execute("ALTER TABLE safemigrate_lease ADD COLUMN IF NOT EXISTS takeover_seconds INT NOT NULL DEFAULT " + LEASE.toSeconds());
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
                } else if (after - seenSince >= takeover(row).toNanos() && update(connection, "UPDATE safemigrate_lease SET owner = ?, beat = beat + 1,"
                        + " taken_at = NOW(6) WHERE name = ? AND owner = ? AND beat = ?", owner, ROW, row[0], row[1]) == 1) {
                    LOG.warn("took over the migration lock from {}, whose heartbeat stood still for {} s", row[0], takeover(row).toSeconds());
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
        try (PreparedStatement statement = connection.prepareStatement("SELECT owner, beat, takeover_seconds FROM safemigrate_lease WHERE name = ?")) {
            statement.setString(1, ROW);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return new String[] {rows.getString(1), rows.getString(2), rows.getString(3)};
            }
        }
    }

    /** The row's takeover time, never under {@link #SHORTEST}. */
    private static Duration takeover(String[] row) {
        Duration takeover = Duration.ofSeconds(Long.parseLong(row[2]));
        return takeover.compareTo(SHORTEST) < 0 ? SHORTEST : takeover;
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
        private volatile Connection connection;
        private final String owner;
        private final Connection session;
        private final Supplier<Connection> reconnect;
        private final ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "safemigrate-galera-lease");
            thread.setDaemon(true);
            return thread;
        });

        Heartbeat(Connection connection, String owner, Connection session, Supplier<Connection> reconnect) {
            this.connection = connection;
            this.owner = owner;
            this.session = session;
            this.reconnect = reconnect;
            beats.scheduleWithFixedDelay(this::beat, BEAT.toMillis(), BEAT.toMillis(), TimeUnit.MILLISECONDS);
        }

        /**
         * A beat whose connection was lost (killed, or dropped by the network) renews through a new one: without it the
         * lease would stand still while the run goes on, and after the takeover time another run would take it and run
         * beside this one. A beat that finds the row taken over, or cannot renew at all, ends the run's session, so two
         * runs never change the database together.
         */
        private void beat() {
            try {
                renewOrAbort();
            } catch (SQLException | RuntimeException e) {
                closeQuietly(connection);
                try {
                    connection = reconnect.get();
                    try (Statement statement = connection.createStatement()) {
                        syncReads(statement);
                    }
                    renewOrAbort();
                    LOG.warn("renewing the migration lock failed ({}); renewed it through a new connection", e.getMessage());
                } catch (SQLException | RuntimeException again) {
                    LOG.error("the migration lock cannot be renewed ({}, then {}); aborting this run's connection before another run may take"
                            + " it over", e.getMessage(), again.getMessage());
                    abort();
                }
            }
        }

        private void renewOrAbort() throws SQLException {
            if (update(connection, "UPDATE safemigrate_lease SET beat = beat + 1 WHERE name = ? AND owner = ?", ROW, owner) == 0) {
                LOG.error("the migration lock was taken over by another run; aborting this run's connection");
                abort();
            }
        }

        private void abort() {
            beats.shutdown();
            try {
                session.abort(Runnable::run);
            } catch (SQLException ignored) {
                // Only a closed session refuses: then it is already gone.
            }
        }

        private static void closeQuietly(Connection connection) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // A lost connection has nothing left to release.
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
