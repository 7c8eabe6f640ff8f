package dev.safemigrate.core.strategies;

import dev.safemigrate.core.HistoryEntry;
import dev.safemigrate.core.MigrationReport;
import dev.safemigrate.core.RunListener;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.model.NullsMode;
import dev.safemigrate.core.model.Online;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.spi.DdlAction;
import dev.safemigrate.core.spi.DdlStatement;
import dev.safemigrate.core.spi.Db;
import dev.safemigrate.core.spi.Dialect;
import dev.safemigrate.core.spi.Interrupted;
import dev.safemigrate.core.spi.JournalEntry;
import dev.safemigrate.core.spi.JournalKind;
import dev.safemigrate.core.spi.KeyGuard;
import dev.safemigrate.core.spi.OnlineDdl;
import dev.safemigrate.core.spi.PlannedRun;
import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.spi.Run;
import dev.safemigrate.core.spi.RunJournal;
import dev.safemigrate.core.spi.RunPhase;
import dev.safemigrate.core.spi.StepContext;
import dev.safemigrate.core.spi.StepEstimate;
import dev.safemigrate.core.spi.StepOutcome;
import dev.safemigrate.core.spi.Strategy;
import dev.safemigrate.core.spi.UniqueKey;
import dev.safemigrate.core.sql.OnlineSql;
import dev.safemigrate.core.sql.Sql;
import dev.safemigrate.core.steps.AddUniqueStep;
import dev.safemigrate.core.steps.DedupeChange;
import dev.safemigrate.core.steps.DedupeStep;
import dev.safemigrate.core.steps.Repoint;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Collections;
import java.util.Objects;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code mode: online}: a dedupe and the add_unique of its key on a table that keeps taking writes, with only
 * the dialect's {@link KeyGuard} and {@link OnlineDdl}. In order: the archives; an index on the key built while
 * writers go on (the guard and the chunks look keys up); the guard, so no new duplicate can be committed; the
 * duplicate key groups, counted once (there can be no new ones); the chunks ({@link OnlineChunks}); the constraint,
 * built while writers go on; a last pass moving child rows written until then from a deleted row to its survivor, in
 * short slices of the archived rows they point at (after the constraint, so that no child written while the guard
 * held is missed); then the guard, the index and the work tables are removed. Every statement that needs the table
 * briefly waits at most {@code max_lock_ms} per try ({@link OnlineLocks}).
 *
 * <p>A failure after a chunk committed reverses every chunk from the archive (exit 1). An interrupted run whose
 * history says chunks committed ({@code online_chunks:<group>/<groups>}, {@code online_constraint} once every chunk
 * did, {@link #REMOVING} once the constraint and the late pass did too) is resumed by the next {@code migrate} of the
 * unchanged rules file: the index, the guard and the groups table were complete before the first chunk committed and
 * outlive the process, so it takes up the archives, sets its session up again and goes on with the next group, then
 * the constraint and the late pass. {@code recover},
 * which has no rules file, finishes such a run the same way from the definition the run journaled when it started
 * ({@link OnlineRecovery}). Any other interrupted run is reversed: the journal holds the restores and, as
 * {@link JournalKind#STRATEGY} entries, the statements that remove the guard and the work tables ({@link #CLEANUP})
 * and that let the run's session past the guard ({@link #BYPASS}).
 */
public final class OnlineStrategy implements Strategy {
    public static final String NAME = "online";
    static final String CLEANUP = "online_cleanup";
    static final String BYPASS = "online_bypass";
    private static final RunPhase CONSTRAINING = new RunPhase("online_constraint");
    /** The constraint exists and the late pass is done: only the guard and the work tables are left to remove. */
    static final RunPhase REMOVING = new RunPhase("online_removing");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<String> refusal(PlannedRun plan) throws SQLException {
        if (plan.migration().online().isEmpty()) {
            return Optional.of("it runs only migrations that say mode: online");
        }
        StepContext context = plan.context(0);
        Dialect dialect = context.dialect();
        List<String> missing = new ArrayList<>();
        if (dialect.keyGuard().isEmpty()) {
            missing.add("no key guard (it keeps every writer from committing a new duplicate while the table is cleaned)");
        }
        if (dialect.onlineDdl().isEmpty()) {
            missing.add("no online DDL (it builds the unique index while writers go on, and bounds each lock wait by max_lock_ms)");
        }
        if (!missing.isEmpty()) {
            return Optional.of("the " + dialect.name() + " dialect (" + context.databaseInfo() + ") has " + String.join(" and ", missing));
        }
        boolean shape = plan.steps().size() == 2 && plan.steps().get(0) instanceof DedupeStep dedupe
                && plan.steps().get(1) instanceof AddUniqueStep unique && unique.table().equals(dedupe.table())
                && DedupeStep.sameColumns(unique.columns(), dedupe.key());
        if (!shape) {
            return Optional.of("online mode runs one dedupe followed by the add_unique of the same table and key (the guard holds until"
                    + " that constraint exists); this migration has " + plan.steps().stream().map(s -> s.summary()).toList());
        }
        DedupeStep dedupe = (DedupeStep) plan.steps().get(0);
        if (!plan.migration().preconditions().isEmpty() || !plan.migration().postconditions().isEmpty()) {
            return Optional.of("preconditions and postconditions hold only under an offline run's table locks; online, writers change the"
                    + " data while they would be checked");
        }
        if (dedupe.repoint().stream().anyMatch(r -> r.onConflict() == Repoint.OnConflict.DELETE)) {
            return Optional.of("repoint with on_conflict: delete is not supported online (child rows written meanwhile could clash in ways"
                    + " the chunks do not archive)");
        }
        if (dedupe.repoint().stream().filter(r -> r.table().equals(dedupe.table())).count() > 1) {
            return Optional.of("more than one repoint of " + dedupe.table() + " itself (rows that point at rows of the same table through"
                    + " two or more columns) is not supported online: a failed run puts the losers back in slices, each after the rows it"
                    + " points at through any one column, so a loser could come back before a row it points at through another;"
                    + " mode: offline puts them back exactly");
        }
        return dialect.onlineDdl().orElseThrow().refusal(context.table(dedupe.table()), context.databaseInfo());
    }

    @Override
    public List<String> explain(PlannedRun plan, List<StepEstimate> estimates) {
        return OnlineExplanation.lines(plan, estimates);
    }

    /** A work object's name: the archive naming scheme (stable per migration, short enough everywhere) under its own prefix. */
    private static String workName(StepContext context, String role, ResolvedTable table) {
        String name = context.archiveName(role, table);
        String prefix = "sm_archive_";
        String online = name.startsWith(prefix) ? "sm_online_" : "SM_ONLINE_";
        return online + name.substring(prefix.length());
    }

    @Override
    public boolean resumes(HistoryEntry entry) {
        return entry.phase() != null && (OnlineChunks.groupsDone(new RunPhase(entry.phase())).isPresent()
                || entry.phase().equals(CONSTRAINING.value()) || entry.phase().equals(REMOVING.value()));
    }

    /**
     * What {@code status} adds to an online run's phase, in words (where its chunks got to, what finishes it); empty for
     * any other phase.
     */
    public static Optional<String> statusNote(RunPhase phase) {
        String next = "; the next migrate of the same rules file, or recover, finishes it; a migrate of a changed file puts the chunks back"
                + " from the archive, as recover does with a run begun by an older safemigrate, which did not journal what finishing needs";
        if (phase.equals(CONSTRAINING)) {
            return Optional.of("online: every chunk committed, the constraint is being added" + next);
        }
        if (phase.equals(REMOVING)) {
            return Optional.of("online: every chunk committed, the constraint is in place, the key guard and work tables are being removed" + next);
        }
        return OnlineChunks.groupPosition(phase).map(position -> "online: chunks committed through duplicate key group " + position + next);
    }

    /** Whether {@code trigger} on {@code table} belongs to the key guard this migration's online runs install ({@code context}: step 1's). */
    public static boolean isOwnGuard(StepContext context, ResolvedTable table, String trigger) {
        return trigger.toLowerCase(Locale.ROOT).startsWith(workName(context, "guard", table).toLowerCase(Locale.ROOT));
    }

    @Override
    public MigrationReport.Result run(Run run) {
        Online options = run.migration().online().orElseThrow();
        StepContext context = run.context(0);
        Dialect dialect = context.dialect();
        KeyGuard guard = dialect.keyGuard().orElseThrow();
        OnlineDdl ddl = dialect.onlineDdl().orElseThrow();
        DedupeStep dedupe = (DedupeStep) run.steps().get(0);
        AddUniqueStep unique = (AddUniqueStep) run.steps().get(1);
        Db db = context.db();
        OnlineLocks locks = new OnlineLocks(db, ddl, options.maxLock(), run.lockTimeout(), run::openMonitorConnection);
        Optional<RunPhase> resumed = run.resumedFrom();
        OnlineChunks chunks = null;
        boolean[] committed = {resumed.isPresent()};
        List<String> cleanup = List.of();
        try {
            DedupeChange change = dedupe.change(context);
            ResolvedTable table = change.table();
            boolean nullsEqual = dedupe.nulls() == NullsMode.EQUAL;
            String guardName = workName(context, "guard", table);
            String indexName = workName(context, "key", table);
            String groupsName = workName(context, "groups", table);
            String chunkName = workName(context, "chunk", table);
            String numberedName = workName(context, "late", table);
            Sql sql = dialect.sql();
            OnlineSql online = new OnlineSql(sql.syntax());
            cleanup = new ArrayList<>(guard.remove(table, guardName));
            List<String> dropIndex = new ArrayList<>(ddl.createIndex(table, indexName, change.key(), options.maxLock()).stream()
                    .map(DdlStatement::undoStatement).filter(Objects::nonNull).toList());
            Collections.reverse(dropIndex);
            cleanup.addAll(dropIndex);
            cleanup.add(online.dropIfExists(groupsName));
            cleanup.add(online.dropIfExists(chunkName));
            cleanup.add(online.dropIfExists(numberedName));

            StepOutcome before = StepOutcome.NOOP;
            if (resumed.isEmpty()) {
                run.start(RunPhase.PREPARING);
                run.createArchives();
                List<String> journaledCleanup = cleanup;
                run.inTransaction(() -> {
                    for (String statement : journaledCleanup) {
                        run.journal().add(JournalKind.STRATEGY, null, null, CLEANUP, statement, null);
                    }
                    for (String statement : guard.bypass(true)) {
                        run.journal().add(JournalKind.STRATEGY, null, null, BYPASS, statement, null);
                    }
                    OnlineRecovery.journalDefinition(run);
                    run.journalRestoreAndDdl();
                    OnlineReversal.journal(run.journal(), sql, change, numberedName, options);
                    return null;
                });
                run.reached(RunListener.Phase.PREPARED);
                db.execute(guard.bypass(true));
                locks.begin();
                locks.ddl("an index on the key of " + table, ddl.createIndex(table, indexName, change.key(), options.maxLock()));
                locks.statements("the key guard on " + table, guard.install(table, change.key(), nullsEqual, guardName));
                locks.patiently("counting the duplicate key groups of " + table, online.createGroups(groupsName, table, change.key(), nullsEqual));
                locks.patiently("the chunk table", List.of(online.createLike(chunkName, change.deletedArchive())));
                ResolvedTable groups = context.table(TableName.parse(groupsName));
                db.execute(sql.archive().archiveFilled(groups));
                change.requireWithinGuard(db.queryLong(online.loserCount(groups)), db.queryLong(sql.syntax().countRows(table)));
            } else {
                // Committed chunks are only recorded once the index, the guard and the groups table are complete: only the
                // chunk table (empty whenever a chunk commits) and this session's settings are made again. Once the constraint
                // exists, the removal of the guard and the work tables may have begun.
                run.reopenArchives();
                if (!constraintExists(run.context(1), table, unique.name())
                        && context.catalog().triggers(table).stream().noneMatch(t -> isOwnGuard(context, table, t.name()))) {
                    throw new SafeMigrateException(dev.safemigrate.core.ExitCode.FAILED_RESTORED, "the key guard " + guardName + " on " + table
                            + " that the interrupted run installed is gone, so writers may have committed duplicates since: it is not resumed");
                }
                db.execute(guard.bypass(true));
                locks.begin();
                before = change.archivedSoFar();
            }
            run.reached(RunListener.Phase.GUARDED);

            StepOutcome removed = StepOutcome.NOOP;
            StepOutcome late = StepOutcome.NOOP;
            boolean chunking = resumed.filter(phase -> phase.equals(CONSTRAINING) || phase.equals(REMOVING)).isEmpty();
            boolean removing = resumed.filter(REMOVING::equals).isPresent();
            if (!removing) {
                if (resumed.isPresent()) {
                    locks.patiently("the chunk table", List.of(online.dropIfExists(chunkName), online.createLike(chunkName, change.deletedArchive())));
                }
                chunks = new OnlineChunks(run, change, options, locks, context.table(TableName.parse(groupsName)),
                        context.table(TableName.parse(chunkName)), nullsEqual);
            }
            if (chunking) {
                removed = chunks.run(resumed.flatMap(OnlineChunks::groupsDone).orElse(0L));
                run.inTransaction(() -> {
                    run.record(CONSTRAINING);
                    return null;
                });
            }
            committed[0] = true;
            run.reached(RunListener.Phase.CHUNKS_DONE);
            boolean creates = resumed.isPresent() ? !run.journal().entries(JournalKind.DDL).isEmpty() : !unique.ddl(run.context(1)).isEmpty();
            if (!removing) {
                if (creates && !constraintExists(run.context(1), table, unique.name())) {
                    // Resumed: a unique index of that name without the constraint is the interrupted build's (PostgreSQL may have
                    // left it INVALID); the statements drop it first.
                    List<String> columns = unique.columns().stream().map(c -> run.context(1).column(table, c)).toList();
                    locks.ddl("the unique constraint " + unique.name(), ddl.addUnique(table, unique.name(), columns, nullsEqual, options.maxLock()));
                }
                // After the constraint, so it sees every child row written while the guard held. Made again where a run was
                // interrupted during the late pass: the slices done moved their rows for good.
                List<String> numbering = new ArrayList<>(resumed.isPresent() ? List.of(online.dropIfExists(numberedName)) : List.of());
                // Only columns no foreign key guards can have a child at a deleted row (the scan was 14.8 s of a 20,000,000-row run).
                numbering.addAll(online.createNumbered(numberedName, change.deletedArchive(), table.primaryKey().get(0),
                        change.pointersWithoutForeignKey()));
                locks.patiently("numbering the archived rows", numbering);
                ResolvedTable numbered = context.table(TableName.parse(numberedName));
                db.execute(sql.archive().archiveFilled(numbered));
                late = chunks.late(numbered);
                run.inTransaction(() -> {
                    run.record(REMOVING);
                    return null;
                });
            }
            run.reached(RunListener.Phase.CONSTRAINED);
            locks.statements("removing the key guard and work tables", cleanup);
            locks.end();
            db.execute(guard.bypass(false));
            run.addResult(0, sum(before, removed, late));
            run.addResult(1, creates ? new StepOutcome(0, 0, 0, false) : StepOutcome.NOOP);
            MigrationReport.OnlineFigures figures = new MigrationReport.OnlineFigures(chunks == null ? 0 : chunks.chunks(), locks.retries(), locks.longest());
            run.finish("online: " + resumption(resumed, before) + figures.chunks() + " chunk(s), " + figures.retries() + " lock wait(s) that ran out and were tried"
                    + " again, " + (chunks == null ? 0 : chunks.overruns()) + " chunk(s) that ran past max_lock_ms, were rolled back and tried"
                    + " again smaller, longest lock held " + figures.longestLock().toMillis() + " ms (" + options.describe() + ")");
            return run.report().withOnline(figures);
        } catch (Exception e) {
            throw failed(run, e, committed[0] || chunks != null && chunks.committed(), locks, cleanup, guard, ddl);
        }
    }

    /** What the interrupted run's chunks did, this run's chunks and the late pass: the dedupe's outcome over the whole run. */
    private static StepOutcome sum(StepOutcome before, StepOutcome removed, StepOutcome late) {
        return new StepOutcome(before.deleted() + removed.deleted() + late.deleted(), before.updated() + removed.updated() + late.updated(),
                before.archived() + removed.archived() + late.archived(), removed.noop() && late.updated() == 0 && before.deleted() == 0);
    }

    private static String resumption(Optional<RunPhase> resumed, StepOutcome before) {
        return resumed.map(phase -> "resumed an interrupted run " + OnlineChunks.describe(phase) + ", whose committed chunks had removed "
                + before.deleted() + " duplicate row(s) and repointed " + before.updated() + " child row(s); then ").orElse("");
    }

    private static boolean constraintExists(StepContext context, ResolvedTable table, String name) throws SQLException {
        return context.catalog().objectNamed(table, name).filter(UniqueKey::constraint).isPresent();
    }

    /**
     * Reverses the committed chunks from the archive in short slices ({@link OnlineReversal}; at once for a run whose
     * journal has no reversal in slices) or records that nothing changed, then removes the guard and the work tables;
     * a removal that fails is named in the message, with what removes it.
     */
    private static SafeMigrateException failed(Run run, Exception cause, boolean committed, OnlineLocks locks, List<String> cleanup, KeyGuard guard,
                                               OnlineDdl ddl) {
        String when = "after some of its chunks had committed";
        SafeMigrateException outcome = !committed ? run.failed(cause, "Nothing was changed: no chunk had committed")
                : OnlineReversal.journaled(run.journal()) ? run.reverseAfter(cause, when, new OnlineReversal(run.context(0).db(), ddl, locks, run.journal()))
                : run.reverseAfter(cause, when);
        // A reversal in slices that stopped part-way goes on in recover, over its numbering, with the guard still keeping duplicates out.
        boolean kept = outcome.exitCode() == dev.safemigrate.core.ExitCode.INTERMEDIATE && OnlineReversal.journaled(run.journal());
        String leftover = kept ? " The key guard and the work tables stay until recover has put everything back (writers that would create a"
                + " duplicate key are refused meanwhile); recover removes them." : "";
        try {
            locks.statements("removing the key guard and work tables", kept ? List.of() : cleanup);
            locks.end();
            run.context(0).db().execute(guard.bypass(false));
        } catch (SQLException | RuntimeException e) {
            leftover += " Removing the key guard and the work tables failed (" + e.getMessage() + "); until they are removed, writers that"
                    + " would create a duplicate key are refused. These statements remove them: " + String.join("; ", cleanup);
        }
        return leftover.isEmpty() ? outcome : new SafeMigrateException(outcome.exitCode(), outcome.getMessage() + leftover, cause);
    }

    /** Finishes an interrupted online run from its journaled definition, or reverses it ({@link OnlineRecovery} decides which). */
    @Override
    public String recover(Interrupted run) throws SQLException {
        return OnlineRecovery.recover(this, run);
    }

    @Override
    public String recoverResumable(HistoryEntry entry, RunJournal journal) {
        return OnlineRecovery.whatRecoverDoes(journal);
    }

    /**
     * Reverses an interrupted online run from the archive ({@code reason}: why, for the message), then removes its guard and
     * work tables: no rules file is needed.
     */
    static String reverse(Interrupted run, String reason) throws SQLException {
        run.db().execute(statements(run, BYPASS));
        OnlineDdl ddl = run.dialect().onlineDdl().orElseThrow(() -> new SafeMigrateException(dev.safemigrate.core.ExitCode.INVALID,
                "migration " + run.entry().id() + " was interrupted in online mode, which the " + run.dialect().name() + " dialect does not have"));
        boolean sliced = OnlineReversal.journaled(run.journal());
        OnlineLocks locks = new OnlineLocks(run.db(), ddl, sliced ? OnlineReversal.options(run.journal()).maxLock() : dev.safemigrate.core.jdbc.LockRetry.SLICE,
                run.lockTimeout(), null);
        String reversed = sliced ? run.reverse(reason, new OnlineReversal(run.db(), ddl, locks, run.journal())) : run.reverse(reason);
        locks.begin();
        locks.statements("removing the key guard and work tables of " + run.entry().id(), statements(run, CLEANUP));
        locks.end();
        run.db().execute(run.dialect().keyGuard().orElseThrow().bypass(false));
        run.journal().delete(JournalKind.STRATEGY);
        return reversed + "; its key guard and work tables were removed";
    }

    private static List<String> statements(Interrupted run, String part) {
        return run.journal().entries(JournalKind.STRATEGY).stream().filter(e -> part.equals(e.objectName())).map(JournalEntry::statement).toList();
    }
}
