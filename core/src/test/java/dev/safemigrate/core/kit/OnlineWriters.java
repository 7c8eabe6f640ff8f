package dev.safemigrate.core.kit;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Writers on {@link OnlineKit}'s tables while an online run cleans them, each on its own connection in
 * autocommit, each statement timed: fresh rows (must all commit), duplicates of keys that stay (by insert and by
 * key update: must all fail with a duplicate-key error), payload updates and deletes of rows no child references,
 * and child rows pointing at losers (commit while the loser exists, else fail on the foreign key).
 */
final class OnlineWriters implements AutoCloseable {
    static final long FRESH_IDS = 10_000_000;
    static final long DUPLICATE_IDS = 20_000_000;
    static final long CHILD_IDS = 30_000_000;

    private final DataSource dataSource;
    private final int rows;
    private final int distinct;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final List<Future<?>> threads = new ArrayList<>();
    final AtomicLong freshInserted = new AtomicLong();
    final List<String> freshFailures = java.util.Collections.synchronizedList(new ArrayList<>());
    final AtomicLong duplicateAttempts = new AtomicLong();
    final List<String> duplicatesNotRefused = java.util.Collections.synchronizedList(new ArrayList<>());
    final AtomicLong deleted = new AtomicLong();
    final AtomicLong deletesOfReferenced = new AtomicLong();
    final AtomicLong updated = new AtomicLong();
    /** Child id to the loser it was inserted pointing at; and the loser ids a child insert found gone. */
    final Map<Long, Long> childrenAtLosers = new ConcurrentHashMap<>();
    final List<Long> losersGone = java.util.Collections.synchronizedList(new ArrayList<>());
    final List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong longestNanos = new AtomicLong();

    OnlineWriters(DataSource dataSource, int rows, int distinct) {
        this.dataSource = dataSource;
        this.rows = rows;
        this.distinct = distinct;
    }

    /** Starts the writer of fresh rows, and with {@code all} the others too. */
    void start(boolean all) {
        threads.add(pool.submit(() -> loop(this::fresh)));
        if (all) {
            threads.add(pool.submit(() -> loop(this::duplicate)));
            threads.add(pool.submit(() -> loop(this::updateOrDelete)));
            threads.add(pool.submit(() -> loop(this::child)));
        }
    }

    long longestWaitMillis() {
        return TimeUnit.NANOSECONDS.toMillis(longestNanos.get());
    }

    private interface Write {
        void once(Statement statement, ThreadLocalRandom random, long n) throws SQLException;
    }

    private void loop(Write write) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (long n = 0; running.get(); n++) {
                write.once(statement, random, n);
                Thread.sleep(2);
            }
        } catch (Exception e) {
            unexpected.add(e.toString());
        }
    }

    /** Runs {@code sql}, timing it; returns the error, or null when it committed. */
    private SQLException timed(Statement statement, String sql, long[] count) {
        long start = System.nanoTime();
        try {
            long changed = statement.executeLargeUpdate(sql);
            if (count != null) {
                count[0] = changed;
            }
            return null;
        } catch (SQLException e) {
            return e;
        } finally {
            longestNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
        }
    }

    static String keyOf(long id, int distinct) {
        return "MOD(" + id + ", 1000), " + (id % distinct) / 1000;
    }

    private void fresh(Statement statement, ThreadLocalRandom random, long n) {
        long id = FRESH_IDS + n;
        SQLException e = timed(statement, "INSERT INTO online_items (id, grp, k, payload) VALUES (" + id + ", " + (2000 + n % 1000) + ", " + n / 1000
                + ", 'fresh')", null);
        if (e == null) {
            freshInserted.incrementAndGet();
        } else {
            freshFailures.add(e.getMessage());
        }
    }

    /** Keys of ids distinct/10 .. distinct/2: never deleted, never losers' keys, so a second row with one is always a duplicate. */
    private long stableKeyId(ThreadLocalRandom random) {
        return random.nextLong(distinct / 10 + 1, distinct / 2);
    }

    private void duplicate(Statement statement, ThreadLocalRandom random, long n) {
        long of = stableKeyId(random);
        long changed = of + 1;
        String sql = n % 2 == 0
                ? "INSERT INTO online_items (id, grp, k, payload) VALUES (" + (DUPLICATE_IDS + n) + ", " + keyOf(of, distinct) + ", 'duplicate')"
                : "UPDATE online_items SET grp = " + (of % 1000) + ", k = " + (of % distinct) / 1000 + " WHERE id = " + changed;
        duplicateAttempts.incrementAndGet();
        SQLException e = timed(statement, sql, null);
        if (e == null || e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
            duplicatesNotRefused.add(sql + (e == null ? " committed" : ": " + e.getMessage()));
        }
    }

    /** Payload updates anywhere (losers included); deletes of rows no child points at: survivors with losers, and plain rows. */
    private void updateOrDelete(Statement statement, ThreadLocalRandom random, long n) {
        long[] count = new long[1];
        if (n % 3 == 0) {
            long id = n % 2 == 0 ? random.nextLong(1, Math.max(2, (rows - distinct) / 4)) : random.nextLong(distinct / 2 + 1, distinct * 3L / 4);
            SQLException e = timed(statement, "DELETE FROM online_items WHERE id = " + id, count);
            if (e != null && e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                // A survivor that the run has already given its losers' child rows: the foreign key keeps it.
                deletesOfReferenced.incrementAndGet();
            } else {
                record(e, deleted, count);
            }
        } else {
            record(timed(statement, "UPDATE online_items SET payload = 'written " + n + "' WHERE id = " + random.nextLong(1, rows + 1), count), updated, count);
        }
    }

    private void record(SQLException e, AtomicLong total, long[] count) {
        if (e == null) {
            total.addAndGet(count[0]);
        } else {
            unexpected.add(e.getMessage());
        }
    }

    /** A child of a loser that has none yet (the upper half of the losers). */
    private void child(Statement statement, ThreadLocalRandom random, long n) {
        long loser = random.nextLong(distinct + (rows - distinct) / 2 + 1, rows + 1);
        long id = CHILD_IDS + n;
        SQLException e = timed(statement, "INSERT INTO online_refs (id, item_id, note) VALUES (" + id + ", " + loser + ", 'late')", null);
        if (e == null) {
            childrenAtLosers.put(id, loser);
        } else if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
            losersGone.add(loser);
        } else {
            unexpected.add(e.getMessage());
        }
    }

    @Override
    public void close() throws Exception {
        running.set(false);
        for (Future<?> thread : threads) {
            thread.get(60, TimeUnit.SECONDS);
        }
        pool.shutdownNow();
    }
}
