package dev.safemigrate.core.strategies;

import dev.safemigrate.core.model.Online;
import dev.safemigrate.core.spi.Db;
import dev.safemigrate.core.spi.OnlineDdl;
import dev.safemigrate.core.spi.Run;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Online mode's short transactions, shared by the chunks, the late pass and the reversal of a failed run: each is
 * tried again while its lock waits run out ({@link OnlineLocks}). With {@code batch_rows: auto} the size starts small
 * and follows the measured time toward half of {@code max_lock_ms}, and a transaction's statements are stopped once it
 * has run for {@code max_lock_ms} (where the dialect can): one that overran, on a machine that suddenly got slower, is
 * rolled back and tried again at a quarter of its size (the smallest size is not capped, so the work always goes on).
 * The commit holds the locks too and cannot be stopped, so the statements stop early by the longest of the last
 * {@link #COMMITS_REMEMBERED} commits (measured: at 20,000,000 rows on PostgreSQL, commits of 100-170 ms took chunks
 * whose statements stopped at {@code max_lock_ms} 200 to 261 ms held).
 */
final class OnlineSlices {
    static final long FIRST_AUTO_BATCH = 50;
    private static final long SMALLEST_BATCH = 10;
    /** A transaction that ran past max_lock_ms is tried again with a quarter of its rows (at most 4x as long as the aim, half of it). */
    private static final long OVERRUN_CUT = 4;
    /** The shortest statement limit worth setting (PostgreSQL's statement_timeout counts whole milliseconds). */
    private static final Duration MIN_LIMIT = Duration.ofMillis(1);
    /** Commits whose time the statements leave room for: enough to cover a slow spell of the disk, few enough to forget one outlier soon. */
    static final int COMMITS_REMEMBERED = 16;

    /** Runs work in one transaction of the run's connection ({@link Run#inTransaction}). */
    interface Transactions {
        <T> T inTransaction(Run.Work<T> work) throws SQLException;
    }

    /** One transaction's work, given when it began ({@link System#nanoTime}) and whether it is capped. */
    interface Body<T> {
        T run(long start, boolean capped) throws SQLException;
    }

    /** The work of one slice of a numbered table: numbers {@code after + 1} to {@code last}. */
    interface Slice<T> {
        T run(long after, long last, long start, boolean capped) throws SQLException;
    }

    private final Db db;
    private final OnlineDdl ddl;
    private final OnlineLocks locks;
    private final Online options;
    private final Transactions transactions;
    private long batch;
    private int overruns;
    private boolean committed;
    private Duration longest = Duration.ZERO;
    private final Deque<Long> commits = new ArrayDeque<>();

    OnlineSlices(Db db, OnlineDdl ddl, OnlineLocks locks, Online options, Transactions transactions) {
        this.db = db;
        this.ddl = ddl;
        this.locks = locks;
        this.options = options;
        this.transactions = transactions;
        this.batch = options.batchRows().orElse(FIRST_AUTO_BATCH);
    }

    /** The size the next transaction should have (rows, or key groups for the chunks). */
    long batch() {
        return batch;
    }

    /** Whether a transaction committed (the data changed), even if the caller failed before counting it. */
    boolean committed() {
        return committed;
    }

    /** The longest any of its transactions took, tries that waited on a lock and were tried again included. */
    Duration longest() {
        return longest;
    }

    /** The transactions that ran past max_lock_ms, were rolled back and tried again smaller. */
    int overruns() {
        return overruns;
    }

    /**
     * One short transaction ({@code body}), tried again while its lock waits run out, and capped where the size is
     * automatic and above the smallest: empty when it ran past max_lock_ms and was rolled back (the next size is a
     * quarter), else what it returned (the next size follows its time).
     */
    <T> Optional<T> attempt(String what, Body<T> body) throws SQLException {
        boolean capped = options.batchRows().isEmpty() && batch > SMALLEST_BATCH;
        long began = System.nanoTime();
        Optional<T> outcome = capped ? cappedOnce(what, body) : Optional.of(once(what, body, false));
        Duration took = tookSince(began);
        if (outcome.isEmpty()) {
            locks.held(took);
            overruns++;
            batch = Math.max(SMALLEST_BATCH, batch / OVERRUN_CUT);
        } else {
            batch = options.batchRows().orElse(nextBatch(took));
        }
        return outcome;
    }

    /** The time since {@code began}, kept if it is the longest yet. */
    private Duration tookSince(long began) {
        Duration took = Duration.ofNanos(System.nanoTime() - began);
        if (took.compareTo(longest) > 0) {
            longest = took;
        }
        return took;
    }

    private <T> T once(String what, Body<T> body, boolean capped) throws SQLException {
        long[] bodyEnd = {0};
        T outcome = locks.retrying(what, () -> transactions.inTransaction(() -> {
            T done = body.run(System.nanoTime(), capped);
            bodyEnd[0] = System.nanoTime();
            return done;
        }));
        // Before anything else can fail (lifting the limit): a failure from here on must reverse this transaction too.
        committed = true;
        commitTook(System.nanoTime() - bodyEnd[0]);
        return outcome;
    }

    private void commitTook(long nanos) {
        if (commits.size() == COMMITS_REMEMBERED) {
            commits.removeFirst();
        }
        commits.addLast(nanos);
    }

    /** How long the next commit may take, as far as the last ones tell: what the statements leave of max_lock_ms. */
    Duration commitReserve() {
        return Duration.ofNanos(commits.stream().mapToLong(Long::longValue).max().orElse(0));
    }

    private <T> Optional<T> cappedOnce(String what, Body<T> body) throws SQLException {
        try {
            return Optional.of(once(what, body, true));
        } catch (SQLException | RuntimeException e) {
            if (limitReached(e)) {
                return Optional.empty();
            }
            throw e;
        } finally {
            db.execute(ddl.statementLimit(null));
        }
    }

    /**
     * Goes through numbers {@code start + 1} to {@code count} of a numbered work table in slices, each one {@link #attempt},
     * sized afresh (rows, where the chunks counted key groups); returns what each slice returned, in order.
     */
    <T> List<T> numbered(long start, long count, String what, Slice<T> slice) throws SQLException {
        batch = options.batchRows().orElse(FIRST_AUTO_BATCH);
        List<T> done = new ArrayList<>();
        for (long after = start; after < count; ) {
            long from = after;
            long last = Math.min(count, after + batch);
            Optional<T> outcome = attempt(what, (began, capped) -> slice.run(from, last, began, capped));
            if (outcome.isPresent()) {
                done.add(outcome.get());
                after = last;
            }
        }
        return done;
    }

    /**
     * Numbers {@code after + 1} to {@code last} of a numbered work table in one transaction however many they are, not
     * capped: for rows that can only go back together.
     */
    <T> T whole(long after, long last, String what, Slice<T> slice) throws SQLException {
        long began = System.nanoTime();
        T outcome = once(what, (start, capped) -> slice.run(after, last, start, capped), false);
        tookSince(began);
        return outcome;
    }

    /**
     * Capped: the next statements stop at what is left of max_lock_ms since the transaction began, less the time its
     * commit is expected to take ({@link #commitReserve}); none left is an overrun.
     */
    void limitToRest(long start, boolean capped) throws SQLException {
        if (capped) {
            long rest = options.maxLock().toNanos() - commitReserve().toNanos() - (System.nanoTime() - start);
            if (rest < MIN_LIMIT.toNanos()) {
                throw new Overrun();
            }
            db.execute(ddl.statementLimit(Duration.ofNanos(rest)));
        }
    }

    /** Whether {@code e}, or what it wraps (the history's update goes through MyBatis), is a statement the limit stopped. */
    private boolean limitReached(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof Overrun || cause instanceof SQLException sql && ddl.statementLimitReached(sql)) {
                return true;
            }
        }
        return false;
    }

    /** The next automatic size: scaled by how far the last transaction's time was from half of max_lock_ms, at most doubling. */
    private long nextBatch(Duration took) {
        double target = options.maxLock().toNanos() / 2.0;
        double scale = Math.min(2.0, target / Math.max(1, took.toNanos()));
        return Math.max(SMALLEST_BATCH, Math.min(Online.BATCH_ROWS_LIMIT, (long) (batch * scale)));
    }


    /** A capped transaction that used up max_lock_ms between its statements. */
    private static final class Overrun extends SQLException {
        Overrun() {
            super("the transaction ran past max_lock_ms");
        }
    }
}
