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
 * rows, deletes the losers and records the last group done in the history. Chunks are sized, capped and tried again
 * as {@link OnlineSlices} does it, in key groups.
 */
final class OnlineChunks {
    /**
     * For plan's estimate only: losers a chunk removes per millisecond (measured here with OnlineKit: about 7 on
     * PostgreSQL 15, 4 on MariaDB 10.11, on a busy 2-core machine).
     */
    static final long ASSUMED_LOSERS_PER_MS = 5;
    private static final String PHASE = "online_chunks:";
    private static final Pattern POSITION = Pattern.compile(Pattern.quote(PHASE) + "(\\d+)/(\\d+)");

    private final Run run;
    private final DedupeChange change;
    private final Online options;
    private final OnlineDdl ddl;
    private final ResolvedTable groups;
    private final ResolvedTable chunk;
    private final boolean nullsEqual;
    private final Sql sql;
    private final OnlineSql online;
    private final Db db;
    private int chunks;
    private final OnlineSlices slices;

    OnlineChunks(Run run, DedupeChange change, Online options, OnlineLocks locks, ResolvedTable groups, ResolvedTable chunk, boolean nullsEqual) {
        this.run = run;
        this.change = change;
        this.options = options;
        this.ddl = run.context(0).dialect().onlineDdl().orElseThrow();
        this.groups = groups;
        this.chunk = chunk;
        this.nullsEqual = nullsEqual;
        this.sql = run.context(0).dialect().sql();
        this.online = new OnlineSql(sql.syntax());
        this.db = run.context(0).db();
        this.slices = new OnlineSlices(db, ddl, locks, options, run::inTransaction);
    }

    int chunks() {
        return chunks;
    }

    /** Whether a chunk committed (the data changed), even if the run failed before counting it. */
    boolean committed() {
        return slices.committed();
    }

    /** The chunks that ran past max_lock_ms, were rolled back and tried again smaller. */
    int overruns() {
        return slices.overruns();
    }

    /** Runs every chunk after key group {@code startAfter} (0, or where an interrupted run stopped); returns what they did together. */
    StepOutcome run(long startAfter) throws SQLException {
        long groupCount = db.queryLong(online.groupCount(groups));
        long loserCount = db.queryLong(online.loserCount(groups));
        long started = System.nanoTime();
        long done = db.queryLong(online.losersUpTo(groups, startAfter));
        StepOutcome total = new StepOutcome(0, 0, 0, groupCount == startAfter);
        for (long after = startAfter; after < groupCount; ) {
            long last = Math.max(after + 1, db.queryLong(online.lastGroupWithin(groups, after, slices.batch())));
            long from = after;
            Optional<StepOutcome> attempt = slices.attempt("the rows of chunk " + (chunks + 1), (start, capped) -> chunk(from, last, groupCount, start, capped));
            if (attempt.isEmpty()) {
                continue;
            }
            StepOutcome outcome = attempt.get();
            chunks++;
            after = last;
            done += outcome.deleted();
            total = new StepOutcome(total.deleted() + outcome.deleted(), total.updated() + outcome.updated(),
                    total.archived() + outcome.archived(), false);
            long doneAtSnapshot = db.queryLong(online.losersUpTo(groups, after));
            long estimated = chunks + (loserCount - doneAtSnapshot + slices.batch() - 1) / Math.max(1, slices.batch());
            run.listener().chunkDone(run.migration().id(), chunks, (int) Math.min(Integer.MAX_VALUE, estimated), done, loserCount,
                    Duration.ofNanos(System.nanoTime() - started));
            run.reached(RunListener.Phase.CHUNK_COMMITTED);
            pause();
        }
        return total;
    }

    /**
     * The late pass, once the constraint exists: moves the child rows written at a deleted row while the guard held
     * (possible only where no foreign key stops them) to its survivor, in slices of {@code numbered} (the keys of the
     * archived losers that a child row pointed at when the pass began, numbered 1 to n: none where a foreign key stops
     * such children), each slice one short transaction sized and capped like a chunk, so no writer of a child row
     * waits on it longer than {@code max_lock_ms}. A slice that has moved a row is final; a child written at a deleted
     * row once the pass has begun, after the constraint exists, is the writer's, as it would be once the run is over.
     */
    StepOutcome late(ResolvedTable numbered) throws SQLException {
        long count = db.queryLong(online.groupCount(numbered));
        StepOutcome total = new StepOutcome(0, 0, 0, count == 0);
        for (StepOutcome moved : slices.numbered(0, count, "child rows written meanwhile", (from, last, start, capped) -> {
            slices.limitToRest(start, capped);
            change.copyLosers(chunk, online.numberedRows(change.deletedArchive(), numbered, change.table().primaryKey().get(0), from, last));
            slices.limitToRest(start, capped);
            StepOutcome children = change.repointChildren(chunk);
            db.update(sql.syntax().emptyWorkTable(chunk));
            return children;
        })) {
            total = new StepOutcome(total.deleted() + moved.deleted(), total.updated() + moved.updated(), total.archived() + moved.archived(), false);
        }
        return total;
    }

    /** How many chunks {@code losers} take: fixed chunks, or auto chunks doubling from the first size to the assumed steady size. */
    static long estimatedChunks(long losers, Online options) {
        if (options.batchRows().isPresent()) {
            return (losers + options.batchRows().getAsLong() - 1) / options.batchRows().getAsLong();
        }
        long steady = Math.max(OnlineSlices.FIRST_AUTO_BATCH, ASSUMED_LOSERS_PER_MS * options.maxLock().toMillis() / 2);
        long chunks = 0;
        for (long batch = OnlineSlices.FIRST_AUTO_BATCH, left = losers; left > 0; batch = Math.min(steady, batch * 2)) {
            left -= batch;
            chunks++;
        }
        return chunks;
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
        String groupRows = online.rowsWithKeys(table, rows.qualifier(), change.key(), keys, nullsEqual);
        Optional<String> locking = ddl.lockingRows(groupRows, rows.qualifier());
        if (locking.isEmpty()) {
            slices.limitToRest(start, capped);
            db.queryLong(ddl.lockRows(groupRows, rows.qualifier()));
        }
        slices.limitToRest(start, capped);
        long staged = change.copyLosers(chunk, locking.isPresent() ? change.losersOf(locking.get()) : change.losers(SqlSyntax.Relation.query(keys)));
        slices.limitToRest(start, capped);
        long archived = db.update(sql.archive().archiveRows(change.deletedArchive(), sql.syntax().table(chunk)));
        if (archived != staged) {
            throw new SafeMigrateException(ExitCode.FAILED_RESTORED, "archive check failed: " + staged + " losers in chunk " + (chunks + 1)
                    + " but " + archived + " archived");
        }
        slices.limitToRest(start, capped);
        StepOutcome children = change.repointChildren(chunk);
        slices.limitToRest(start, capped);
        long deleted = change.deleteLosers(chunk, staged);
        db.update(sql.syntax().emptyWorkTable(chunk));
        run.record(phase(last, groupCount));
        return new StepOutcome(deleted + children.deleted(), children.updated(), archived + children.archived(), false);
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

    /** The last key group done "of" all, in a chunk phase (see {@link #phase}). */
    static Optional<String> groupPosition(RunPhase phase) {
        Matcher position = POSITION.matcher(phase.value());
        return position.matches() ? Optional.of(position.group(1) + " of " + position.group(2)) : Optional.empty();
    }

    /** Where a run stopped, in words: "after key group 12 of 40", after all chunks, or once its constraint and late pass were done. */
    static String describe(RunPhase phase) {
        return groupPosition(phase).map(position -> "after key group " + position)
                .orElse(phase.equals(OnlineStrategy.REMOVING) ? "after its last chunk, its constraint and its late pass" : "after its last chunk");
    }
}
