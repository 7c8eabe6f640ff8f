package dev.safemigrate.core.strategies;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.model.Online;
import dev.safemigrate.core.spi.Db;
import dev.safemigrate.core.spi.ForeignKey;
import dev.safemigrate.core.spi.JournalEntry;
import dev.safemigrate.core.spi.JournalKind;
import dev.safemigrate.core.spi.OnlineDdl;
import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.spi.RunJournal;
import dev.safemigrate.core.spi.RunPhase;
import dev.safemigrate.core.spi.SlicedRestore;
import dev.safemigrate.core.sql.OnlineSql;
import dev.safemigrate.core.sql.Sql;
import dev.safemigrate.core.steps.DedupeChange;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reverses an online run from its archive in slices of the archived losers (numbered 1 to n in a work table; where the
 * table's rows point at each other, every row after the archived rows it points at, and the rows in or below a
 * reference cycle last, in one transaction, pointing at themselves until every one is back), each
 * slice one short transaction sized and capped like a chunk ({@link OnlineSlices}): it puts the slice's losers back,
 * then sets each repointed child row back to the loser, but only where the row still points at the survivor the run
 * set: a row a writer changed or deleted since is left as the writer left it, and counted. The key guard stays until
 * the last slice (the run's session passes it), so no writer commits a duplicate meanwhile. Each slice records how
 * far the reversal got ({@code online_reversing:<slice end>/<losers>}), so one that is interrupted goes on there.
 * Everything it runs is journaled ({@link JournalKind#SLICED_RESTORE}) when the run starts, so {@code recover} needs
 * no rules file.
 */
final class OnlineReversal implements SlicedRestore {
    private static final String PHASE = "online_reversing";
    private static final Pattern POSITION = Pattern.compile(Pattern.quote(PHASE) + ":(\\d+)/(\\d+)");
    private static final int SAMPLES = 5;
    /** The parts of the journaled reversal (the entries' object names). */
    private static final String OPTIONS = "options";
    private static final String NUMBER = "number";
    private static final String COUNT = "count";
    private static final String BLOCKING = "blocking";
    private static final String ROWS = "rows";
    /** Where the table points at itself: how many rows are not in or below a reference cycle, and how those go back. */
    private static final String SETTLED = "settled";
    private static final String CYCLE_ROWS = "cycle_rows";
    private static final String POINT_BACK = "point_back";
    private static final String CHILDREN = "children";
    private static final String LEFT = "left";

    private final Db db;
    private final OnlineDdl ddl;
    private final OnlineLocks locks;
    private final RunJournal journal;

    OnlineReversal(Db db, OnlineDdl ddl, OnlineLocks locks, RunJournal journal) {
        this.db = db;
        this.ddl = ddl;
        this.locks = locks;
        this.journal = journal;
    }

    /**
     * Journals what reverses the run of {@code change} in slices ({@code numbered}: the work table that numbers the
     * archived losers), with {@code options}; inside the run's first transaction, once its archives exist.
     */
    static void journal(RunJournal journal, Sql sql, DedupeChange change, String numbered, Online options) throws SQLException {
        OnlineSql online = new OnlineSql(sql.syntax());
        ResolvedTable table = change.table();
        ResolvedTable deleted = change.deletedArchive();
        String pk = table.primaryKey().get(0);
        ResolvedTable numbers = new ResolvedTable(null, numbered, List.of(), List.of());
        String rows = online.numberedRows(deleted, numbers, pk);
        String losers = online.numberedKeys(numbers, pk);
        add(journal, OPTIONS, null, Long.toString(options.maxLock().toMillis()), options.batchRows().isPresent()
                ? Long.toString(options.batchRows().getAsLong()) : null);
        List<String> numbering = new ArrayList<>(List.of(online.dropIfExists(numbered)));
        List<String> selfPointers = change.pointers().stream().filter(p -> p.child().equals(table)).map(OnlineSql.Pointer::column).toList();
        numbering.addAll(selfPointers.isEmpty() ? online.createNumbered(numbered, deleted, pk)
                : online.createNumberedParentsFirst(numbered, deleted, pk, change.key(), selfPointers));
        // Each slice finds its losers' children by the repointed column: indexed only now (a scan of the whole archive per
        // slice, 42 ms of an 88 ms slice at 5,000,000 rows; kept up during the chunks, ~8 % on their time), with fresh
        // statistics, as the archives were filled chunk by chunk.
        numbering.addAll(sql.archive().archiveFilled(deleted));
        for (DedupeChange.Repointed r : change.repointed()) {
            numbering.add(online.createIndexIfMissing(r.beforeImages(), r.column()));
            numbering.addAll(sql.archive().archiveFilled(r.beforeImages()));
        }
        numbering.addAll(sql.archive().archiveFilled(numbers));
        for (String statement : numbering) {
            add(journal, NUMBER, null, statement, null);
        }
        add(journal, COUNT, null, online.groupCount(numbers), null);
        add(journal, BLOCKING, table.toString(), sql.archive().rowsBlockingRestore(table, rows), null);
        add(journal, ROWS, table.toString(), sql.archive().restoreRowsInOrder(table, rows, OnlineSql.SEQ), null);
        if (!selfPointers.isEmpty()) {
            List<ForeignKey> selfKeys = selfPointers.stream().map(p -> new ForeignKey(null, table.schema(), table.name(), List.of(p), table.schema(),
                    table.name(), List.of(pk))).toList();
            add(journal, SETTLED, null, online.settledCount(numbers), null);
            add(journal, CYCLE_ROWS, table.toString(), sql.archive().restoreRowsPointingAtThemselves(table, rows, selfKeys), null);
            for (ForeignKey key : selfKeys) {
                add(journal, POINT_BACK, table.toString(), sql.archive().pointBackToArchived(table, deleted, key, losers), null);
            }
        }
        for (DedupeChange.Repointed r : change.repointed()) {
            add(journal, CHILDREN, r.child() + "." + r.column(), sql.dedupe().restoreRepointedUnchanged(r.child(), r.column(), r.beforeImages(),
                    deleted, pk, losers), sql.dedupe().countRepointed(r.child(), r.column(), r.beforeImages(), deleted, losers, r.child().equals(table)));
        }
    }

    private static void add(RunJournal journal, String part, String what, String statement, String second) {
        journal.add(JournalKind.SLICED_RESTORE, null, what, part, statement, second);
    }

    /** Whether the run's journal holds a reversal in slices (runs started before it was journaled do not). */
    static boolean journaled(RunJournal journal) {
        return !journal.entries(JournalKind.SLICED_RESTORE).isEmpty();
    }

    /** The run's max_lock_ms and batch_rows, as journaled. */
    static Online options(RunJournal journal) {
        JournalEntry options = part(journal.entries(JournalKind.SLICED_RESTORE), OPTIONS).get(0);
        return new Online(Duration.ofMillis(Long.parseLong(options.statement())), options.undoStatement() == null ? OptionalLong.empty()
                : OptionalLong.of(Long.parseLong(options.undoStatement())), Duration.ZERO);
    }

    /** In tries of max_lock_ms, as the run's own brief locks: the constraint's drop needs the table exclusively for a moment. */
    @Override
    public void drop(String statement) throws SQLException {
        locks.begin();
        locks.statements("dropping what the run created", List.of(statement));
    }

    @Override
    public Restored restore(Progress progress) throws SQLException {
        List<JournalEntry> entries = journal.entries(JournalKind.SLICED_RESTORE);
        Matcher resumed = POSITION.matcher(progress.phase() == null ? "" : progress.phase().value());
        // An interrupted reversal goes on where it stopped, over the numbering it made (the archive is unchanged until the end).
        long start = resumed.matches() ? Long.parseLong(resumed.group(1)) : 0;
        if (start == 0) {
            locks.patiently("numbering the archived rows", part(entries, NUMBER).stream().map(JournalEntry::statement).toList());
        }
        // Past the guard, as the chunks were (a run that failed once it had removed it set its session back).
        for (JournalEntry bypass : part(journal.entries(JournalKind.STRATEGY), OnlineStrategy.BYPASS)) {
            db.execute(bypass.statement());
        }
        locks.begin();
        long count = db.queryLong(part(entries, COUNT).get(0).statement());
        progress.inTransaction(() -> {
            progress.record(phase(start, count));
            return null;
        });
        JournalEntry blocking = part(entries, BLOCKING).get(0);
        List<List<String>> taken = db.sample(OnlineSql.slice(blocking.statement(), start, count), SAMPLES);
        if (!taken.isEmpty()) {
            SafeMigrateException blocked = new SafeMigrateException(ExitCode.INTERMEDIATE, "rows of " + blocking.tableName() + " written since have the"
                    + " primary key of a row it would put back, for example " + String.join(", ", taken.stream().map(k -> "(" + String.join(", ", k)
                    + ")").toList()) + "; remove or move them and run recover, which puts the rest back");
            if (start > 0) {
                throw partly(blocked);
            }
            throw blocked;
        }
        OnlineSlices slices = new OnlineSlices(db, ddl, locks, options(journal), progress::inTransaction);
        // Rows in or below a reference cycle are numbered last and go back in one transaction, pointing at themselves until all are back.
        long settled = part(entries, SETTLED).isEmpty() ? count : db.queryLong(part(entries, SETTLED).get(0).statement());
        long[] restored = {0};
        int[] transactions = {0};
        try {
            slices.numbered(start, settled, "putting back the archived rows", putBack(slices, part(entries, ROWS).get(0), List.of(), entries,
                    progress, count)).forEach(put -> {
                        restored[0] += put;
                        transactions[0]++;
                    });
            if (Math.max(start, settled) < count) {
                restored[0] += slices.whole(Math.max(start, settled), count, "putting back the archived rows in reference cycles",
                        putBack(slices, part(entries, CYCLE_ROWS).get(0), part(entries, POINT_BACK), entries, progress, count));
                transactions[0]++;
            }
        } catch (SQLException | RuntimeException e) {
            if (start == 0 && !slices.committed()) {
                throw e;
            }
            throw partly(e);
        }
        Map<String, Long> left = leftSoFar(journal.entries(JournalKind.SLICED_RESTORE));
        long total = left.values().stream().mapToLong(Long::longValue).sum();
        List<String> what = new ArrayList<>();
        left.forEach((column, rows) -> what.add(rows + " row(s) of " + column.substring(0, column.lastIndexOf('.')) + " that writers changed or"
                + " deleted after the run had repointed them were left as the writers left them (putting " + column.substring(column.lastIndexOf('.') + 1)
                + " back would have overwritten their change)"));
        return new Restored(restored[0], transactions[0], slices.longest(), total, String.join("; ", what));
    }

    /**
     * One slice: {@code rows} puts the slice's archived rows back and {@code adjusting} adjusts them, then each repointed
     * child row is set back where it still points at the survivor (the rest counted as left as writers left them).
     */
    private OnlineSlices.Slice<Long> putBack(OnlineSlices slices, JournalEntry rows, List<JournalEntry> adjusting, List<JournalEntry> entries,
                                             Progress progress, long count) {
        return (after, last, began, capped) -> {
            slices.limitToRest(began, capped);
            long put = db.update(OnlineSql.slice(rows.statement(), after, last));
            for (JournalEntry adjustment : adjusting) {
                slices.limitToRest(began, capped);
                db.update(OnlineSql.slice(adjustment.statement(), after, last));
            }
            for (JournalEntry children : part(entries, CHILDREN)) {
                slices.limitToRest(began, capped);
                long set = db.update(OnlineSql.slice(children.statement(), after, last));
                long changed = db.queryLong(OnlineSql.slice(children.undoStatement(), after, last)) - set;
                if (changed > 0) {
                    add(journal, LEFT, children.tableName(), Long.toString(changed), null);
                }
                put += set;
            }
            progress.record(phase(last, count));
            return put;
        };
    }

    /** What the reversal's slices so far left as writers left them, per child column, from the journal. */
    private static Map<String, Long> leftSoFar(List<JournalEntry> entries) {
        Map<String, Long> left = new LinkedHashMap<>();
        for (JournalEntry entry : part(entries, LEFT)) {
            left.merge(entry.tableName(), Long.parseLong(entry.statement()), Long::sum);
        }
        return left;
    }

    /** {@code e} ending a reversal after some of its slices committed (this one's, or an interrupted one's). */
    private static Partly partly(Exception e) {
        return new Partly("the reversal had put back part of the archive in short transactions before that, and recorded how far it got;"
                + " recover goes on from there", e);
    }

    private static List<JournalEntry> part(List<JournalEntry> entries, String part) {
        return entries.stream().filter(e -> part.equals(e.objectName())).toList();
    }

    static RunPhase phase(long after, long count) {
        return new RunPhase(PHASE + ":" + after + "/" + count);
    }
}
