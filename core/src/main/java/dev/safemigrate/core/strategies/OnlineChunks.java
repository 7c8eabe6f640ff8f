package dev.safemigrate.core.strategies;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.RunListener;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.model.Online;
import dev.safemigrate.core.spi.Db;
import dev.safemigrate.core.spi.OnlineDdl;
import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.spi.Run;
import dev.safemigrate.core.spi.RunPhase;
import dev.safemigrate.core.spi.StepOutcome;
import dev.safemigrate.core.sql.OnlineSql;
import dev.safemigrate.core.sql.Sql;
import dev.safemigrate.core.sql.SqlSyntax;
import dev.safemigrate.core.steps.DedupeChange;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Online mode's dedupe, chunk by chunk: each chunk is one short transaction over a range of the duplicate key
 * groups that locks the groups' rows, copies their losers to the chunk table and the archive, repoints the child
 * rows, deletes the losers and records the last group done in the history. With {@code batch_rows: auto} the
 * chunk size starts small and follows the measured chunk time toward half of {@code max_lock_ms}, and a chunk's
 * statements are stopped once its transaction has run for {@code max_lock_ms} (where the dialect can): a chunk that overran, on a machine that
 * suddenly got slower, is rolled back and tried again at a quarter of its size (the smallest size is not capped, so
 * the run always goes on).
 */
final class OnlineChunks {
    static final long FIRST_AUTO_BATCH = 50;
    /**
     * For plan's estimate only: losers a chunk removes per millisecond (measured here with OnlineKit: about 7 on
     * PostgreSQL 15, 4 on MariaDB 10.11, on a busy 2-core machine).
     */
    static final long ASSUMED_LOSERS_PER_MS = 5;
    private static final long SMALLEST_BATCH = 10;
    /** A chunk that ran past max_lock_ms is tried again with a quarter of its losers (at most 4x as long as the aim, half of it). */
    private static final long OVERRUN_CUT = 4;
    /** The shortest statement limit worth setting (PostgreSQL's statement_timeout counts whole milliseconds). */
    private static final Duration MIN_LIMIT = Duration.ofMillis(1);
    private static final String PHASE = "online_chunks:";
    private static final Pattern POSITION = Pattern.compile(Pattern.quote(PHASE) + "(\\d+)/(\\d+)");

    private final Run run;
    private final DedupeChange change;
    private final Online options;
    private final OnlineLocks locks;
    private final OnlineDdl ddl;
    private final ResolvedTable groups;
    private final ResolvedTable chunk;
    private final boolean nullsEqual;
    private final Sql sql;
    private final OnlineSql online;
    private final Db db;
    private int chunks;
    private int overruns;
    private boolean committed;

    OnlineChunks(Run run, DedupeChange change, Online options, OnlineLocks locks, ResolvedTable groups, ResolvedTable chunk, boolean nullsEqual) {
        this.run = run;
        this.change = change;
        this.options = options;
        this.locks = locks;
        this.ddl = run.context(0).dialect().onlineDdl().orElseThrow();
        this.groups = groups;
        this.chunk = chunk;
        this.nullsEqual = nullsEqual;
        this.sql = run.context(0).dialect().sql();
        this.online = new OnlineSql(sql.syntax());
        this.db = run.context(0).db();
    }

    int chunks() {
        return chunks;
    }

    /** Whether a chunk committed (the data changed), even if the run failed before counting it. */
    boolean committed() {
        return committed;
    }

    /** The chunks that ran past max_lock_ms, were rolled back and tried again smaller. */
    int overruns() {
        return overruns;
    }

    /** Runs every chunk after key group {@code startAfter} (0, or where an interrupted run stopped); returns what they did together. */
    StepOutcome run(long startAfter) throws SQLException {
        long groupCount = db.queryLong(online.groupCount(groups));
        long loserCount = db.queryLong(online.loserCount(groups));
        long batch = options.batchRows().orElse(FIRST_AUTO_BATCH);
        long started = System.nanoTime();
        long done = db.queryLong(online.losersUpTo(groups, startAfter));
        StepOutcome total = new StepOutcome(0, 0, 0, groupCount == startAfter);
        for (long after = startAfter; after < groupCount; ) {
            long last = Math.max(after + 1, db.queryLong(online.lastGroupWithin(groups, after, batch)));
            long chunkStart = System.nanoTime();
            long from = after;
            Optional<StepOutcome> attempt = attempt("the rows of chunk " + (chunks + 1), options.batchRows().isEmpty() && batch > SMALLEST_BATCH,
                    (start, capped) -> chunk(from, last, groupCount, start, capped));
            Duration took = Duration.ofNanos(System.nanoTime() - chunkStart);
            if (attempt.isEmpty()) {
                locks.held(took);
                overruns++;
                batch = Math.max(SMALLEST_BATCH, batch / OVERRUN_CUT);
                continue;
            }
            StepOutcome outcome = attempt.get();
            chunks++;
            after = last;
            done += outcome.deleted();
            total = new StepOutcome(total.deleted() + outcome.deleted(), total.updated() + outcome.updated(),
                    total.archived() + outcome.archived(), false);
            long doneAtSnapshot = db.queryLong(online.losersUpTo(groups, after));
            long estimated = chunks + (loserCount - doneAtSnapshot + batch - 1) / Math.max(1, batch);
            run.listener().chunkDone(run.migration().id(), chunks, (int) Math.min(Integer.MAX_VALUE, estimated), done, loserCount,
                    Duration.ofNanos(System.nanoTime() - started));
            run.reached(RunListener.Phase.CHUNK_COMMITTED);
            batch = options.batchRows().orElse(nextBatch(batch, took));
            pause();
        }
        return total;
    }

    /** One transaction's work, given when it began ({@link System#nanoTime}) and whether it is capped. */
    private interface Body {
        StepOutcome run(long start, boolean capped) throws SQLException;
    }

    /**
     * One short transaction ({@code body}), tried again while its lock waits run out; {@code capped}: its statements
     * stop once the transaction has run for {@code max_lock_ms}, and one that does rolls it back (empty), so none
     * holds its rows much longer.
     */
    private Optional<StepOutcome> attempt(String what, boolean capped, Body body) throws SQLException {
        OnlineLocks.Attempt<StepOutcome> once = () -> {
            StepOutcome outcome = locks.retrying(what, () -> run.inTransaction(() -> body.run(System.nanoTime(), capped)));
            // Before anything else can fail (lifting the limit): a failure from here on must reverse this transaction too.
            committed = true;
            return outcome;
        };
        if (!capped) {
            return Optional.of(once.run());
        }
        try {
            return Optional.of(once.run());
        } catch (SQLException | RuntimeException e) {
            if (limitReached(e)) {
                return Optional.empty();
            }
            throw e;
        } finally {
            execute(ddl.statementLimit(null));
        }
    }

    /**
     * The late pass, after every chunk: moves the child rows written meanwhile at a deleted row (possible only where
     * no foreign key stops them) to its survivor, in slices of {@code numbered} (the keys of the archived losers that
     * a child row pointed at when the pass began, numbered 1 to n: none where a foreign key stops such children),
     * each slice one short transaction sized and capped like a chunk, so no writer of a child row waits on it longer
     * than {@code max_lock_ms}. A slice that has moved a row is final; a child written at a deleted row once the pass
     * has begun is missed, as it would be once the pass is over.
     */
    StepOutcome late(ResolvedTable numbered) throws SQLException {
        long count = db.queryLong(online.groupCount(numbered));
        long batch = options.batchRows().orElse(FIRST_AUTO_BATCH);
        StepOutcome total = new StepOutcome(0, 0, 0, count == 0);
        for (long after = 0; after < count; ) {
            long from = after;
            long last = Math.min(count, after + batch);
            long began = System.nanoTime();
            Optional<StepOutcome> attempt = attempt("child rows written meanwhile", options.batchRows().isEmpty() && batch > SMALLEST_BATCH,
                    (start, capped) -> {
                        limitToRest(start, capped);
                        long staged = change.copyLosers(chunk, online.numberedRows(change.deletedArchive(), numbered, change.table().primaryKey().get(0),
                                from, last));
                        limitToRest(start, capped);
                        StepOutcome moved = change.repointChildren(chunk);
                        db.update(sql.syntax().emptyWorkTable(chunk));
                        return moved;
                    });
            Duration took = Duration.ofNanos(System.nanoTime() - began);
            if (attempt.isEmpty()) {
                locks.held(took);
                overruns++;
                batch = Math.max(SMALLEST_BATCH, batch / OVERRUN_CUT);
                continue;
            }
            total = new StepOutcome(total.deleted() + attempt.get().deleted(), total.updated() + attempt.get().updated(),
                    total.archived() + attempt.get().archived(), false);
            after = last;
            batch = options.batchRows().orElse(nextBatch(batch, took));
        }
        return total;
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

    private void execute(List<String> statements) throws SQLException {
        for (String statement : statements) {
            db.execute(statement);
        }
    }

    /** How many chunks {@code losers} take: fixed chunks, or auto chunks doubling from the first size to the assumed steady size. */
    static long estimatedChunks(long losers, Online options) {
        if (options.batchRows().isPresent()) {
            return (losers + options.batchRows().getAsLong() - 1) / options.batchRows().getAsLong();
        }
        long steady = Math.max(FIRST_AUTO_BATCH, ASSUMED_LOSERS_PER_MS * options.maxLock().toMillis() / 2);
        long chunks = 0;
        for (long batch = FIRST_AUTO_BATCH, left = losers; left > 0; batch = Math.min(steady, batch * 2)) {
            left -= batch;
            chunks++;
        }
        return chunks;
    }

    /** The next automatic chunk size: scaled by how far the chunk's time was from half of max_lock_ms, at most doubling. */
    private long nextBatch(long batch, Duration took) {
        double target = options.maxLock().toNanos() / 2.0;
        double scale = Math.min(2.0, target / Math.max(1, took.toNanos()));
        return Math.max(SMALLEST_BATCH, Math.min(Online.BATCH_ROWS_LIMIT, (long) (batch * scale)));
    }

    private void pause() throws SQLException {
        if (options.pause().isZero()) {
            return;
        }
        try {
            Thread.sleep(options.pause().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while pausing between chunks", e);
        }
    }

    /** One chunk, inside its transaction begun at {@code start}: groups {@code after + 1} to {@code last}. */
    private StepOutcome chunk(long after, long last, long groupCount, long start, boolean capped) throws SQLException {
        ResolvedTable table = change.table();
        String keys = online.keysOf(groups, change.key(), after, last);
        SqlSyntax.Ref rows = sql.syntax().ref(table, "s", 0);
        limitToRest(start, capped);
        db.queryLong(ddl.lockRows(online.rowsWithKeys(table, rows.qualifier(), change.key(), keys, nullsEqual), rows.qualifier()));
        limitToRest(start, capped);
        long staged = change.copyLosers(chunk, change.losers(SqlSyntax.Relation.query(keys)));
        limitToRest(start, capped);
        long archived = db.update(sql.archive().archiveRows(change.deletedArchive(), sql.syntax().table(chunk)));
        if (archived != staged) {
            throw new SafeMigrateException(ExitCode.FAILED_RESTORED, "archive check failed: " + staged + " losers in chunk " + (chunks + 1)
                    + " but " + archived + " archived");
        }
        limitToRest(start, capped);
        StepOutcome children = change.repointChildren(chunk);
        limitToRest(start, capped);
        long deleted = change.deleteLosers(chunk, staged);
        db.update(sql.syntax().emptyWorkTable(chunk));
        run.record(phase(last, groupCount));
        return new StepOutcome(deleted + children.deleted(), children.updated(), archived + children.archived(), false);
    }

    /** Capped: the next statements stop at what is left of max_lock_ms since the chunk began its transaction; none left is an overrun. */
    private void limitToRest(long start, boolean capped) throws SQLException {
        if (capped) {
            long rest = options.maxLock().toNanos() - (System.nanoTime() - start);
            if (rest < MIN_LIMIT.toNanos()) {
                throw new Overrun();
            }
            execute(ddl.statementLimit(Duration.ofNanos(rest)));
        }
    }

    /** A capped chunk that used up max_lock_ms between its statements. */
    private static final class Overrun extends SQLException {
        Overrun() {
            super("the chunk ran past max_lock_ms");
        }
    }

    /** The history's phase while chunks run: the last key group done, of all. */
    static RunPhase phase(long last, long groupCount) {
        return new RunPhase(PHASE + last + "/" + groupCount);
    }

    /** The last key group done, in a chunk phase (see {@link #phase}). */
    static Optional<Long> groupsDone(RunPhase phase) {
        Matcher position = POSITION.matcher(phase.value());
        return position.matches() ? Optional.of(Long.parseLong(position.group(1))) : Optional.empty();
    }

    /** Where a run stopped, in words: "after key group 12 of 40", or after all chunks. */
    static String describe(RunPhase phase) {
        Matcher position = POSITION.matcher(phase.value());
        return position.matches() ? "after key group " + position.group(1) + " of " + position.group(2) : "after its last chunk";
    }
}
