package dev.safemigrate.core.internal;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.HistoryEntry;
import dev.safemigrate.core.HistoryStatus;
import dev.safemigrate.core.MigrationPlan;
import dev.safemigrate.core.MigrationReport;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.StatusReport;
import dev.safemigrate.core.UndoReport;
import dev.safemigrate.core.VerifyReport;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.model.NaturalOrder;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.spi.CheckResult;
import dev.safemigrate.core.spi.MigrationLock;
import dev.safemigrate.core.spi.Step;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import org.apache.ibatis.exceptions.PersistenceException;
import org.apache.ibatis.session.SqlSessionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Carries out the operations of {@code SafeMigrate}, one session each. */
public final class Engine {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    private final Settings settings;
    private final Map<String, SqlSessionFactory> journalFactories = new ConcurrentHashMap<>();

    public Engine(Settings settings) {
        this.settings = settings;
    }

    private interface Operation<T> {
        T run(Session session) throws SQLException;
    }

    private interface Locked<T> {
        T run() throws SQLException;
    }

    private <T> T withSession(Operation<T> operation) {
        try (Session session = Session.open(settings, journalFactories)) {
            return operation.run(session);
        } catch (SQLException | PersistenceException e) {
            throw new SafeMigrateException(ExitCode.FAILED_RESTORED, "database error: " + MigrationRun.describe(e)
                    + ". No migration was changing data when it happened, so the database is as it was; `safemigrate status` shows the history", e);
        }
    }

    /**
     * Runs {@code work} under the migration lock. Once the work has succeeded, failing to release the lock is
     * not its failure, and must not be reported as one (the data changed): the lock ends with the session,
     * which closes next (see {@link MigrationLock}).
     */
    private static <T> T underLock(Session session, Locked<T> work) throws SQLException {
        MigrationLock.Held lock = session.lock();
        T result;
        try {
            result = work.run();
        } catch (Throwable failure) {
            try {
                lock.close();
            } catch (SQLException | RuntimeException e) {
                failure.addSuppressed(e);
            }
            throw failure;
        }
        try {
            lock.close();
        } catch (SQLException | RuntimeException e) {
            LOG.warn("releasing the migration lock failed ({}); it is released as the session ends, which follows", MigrationRun.describe(e));
        }
        return result;
    }

    /**
     * Runs {@code work} after {@code recover} did {@code recovered}: a failure of the work says what recover did first
     * (found by the schema fuzzer: an undo refused with exit 3, "nothing was changed", after recover had dropped an
     * archive table of an archive: false run), since its exit code speaks only of the work.
     */
    private static <T> T afterRecovery(List<String> recovered, Locked<T> work) throws SQLException {
        try {
            return work.run();
        } catch (SafeMigrateException e) {
            if (recovered.isEmpty()) {
                throw e;
            }
            throw new SafeMigrateException(e.exitCode(), e.getMessage() + " (before that, recover: " + String.join("; ", recovered) + ")", e);
        }
    }

    private static List<Migration> inOrder(List<Migration> migrations) {
        List<Migration> sorted = new ArrayList<>(migrations);
        sorted.sort(Comparator.comparing(Migration::id, NaturalOrder.INSTANCE));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).id().equals(sorted.get(i - 1).id())) {
                throw SafeMigrateException.invalid("two migrations have the id " + sorted.get(i).id() + ": "
                        + sorted.get(i - 1).source() + " and " + sorted.get(i).source());
            }
        }
        return sorted;
    }

    /** The history row of an applied migration, refusing one whose file changed since. */
    private static boolean alreadyApplied(Session session, Migration migration, boolean historyExists) {
        if (!historyExists) {
            return false;
        }
        HistoryEntry entry = session.journal.find(migration.id());
        if (entry == null || entry.status() != HistoryStatus.APPLIED) {
            return false;
        }
        if (!entry.checksum().equals(migration.checksum())) {
            throw SafeMigrateException.invalid("migration " + migration.id() + " (" + migration.source()
                    + ") was changed after it was applied: its checksum is " + migration.checksum() + ", the history has " + entry.checksum()
                    + ". Applied migrations must not be edited; write a new migration instead");
        }
        return true;
    }

    private static boolean historyExists(Session session) throws SQLException {
        return session.catalog.table(TableName.parse("safemigrate_history")).isPresent();
    }

    public MigrationPlan plan(List<Migration> migrations, boolean withStatements) {
        return withSession(session -> {
            CheckGuard.requireHarmless(session, migrations);
            boolean history = historyExists(session);
            List<MigrationPlan.Item> items = new ArrayList<>();
            for (Migration migration : inOrder(migrations)) {
                if (alreadyApplied(session, migration, history)) {
                    items.add(new MigrationPlan.Item(migration.id(), migration.description(), HistoryStatus.APPLIED.value(), "", List.of(), List.of(),
                            List.of(), List.of(), List.of()));
                    continue;
                }
                if (history && resumable(session, List.of(migration)).contains(migration.id())) {
                    items.add(resumablePlan(session, session.journal.find(migration.id()), migration));
                    continue;
                }
                PlannedMigration planned = Planner.plan(session, migration, true);
                List<MigrationPlan.StepPlan> steps = new ArrayList<>();
                for (int i = 0; i < planned.steps().size(); i++) {
                    Step step = planned.steps().get(i);
                    steps.add(new MigrationPlan.StepPlan(i + 1, step.type(), step.summary(), step.kind(), planned.estimates().get(i)));
                }
                List<String> statements = withStatements ? DryRun.statements(session, planned, history) : List.of();
                items.add(new MigrationPlan.Item(migration.id(), migration.description(), "pending", planned.strategy().name(), steps,
                        planned.context().warnings(), planned.strategyNotes(), statements,
                        planned.strategy().explain(planned, planned.estimates())));
            }
            return new MigrationPlan(items);
        });
    }

    public MigrationReport migrate(List<Migration> migrations) {
        List<Migration> ordered = inOrder(migrations);
        return withSession(session -> {
            CheckGuard.requireHarmless(session, ordered);
            return underLock(session, () -> {
                session.createBookkeepingTables();
                Set<String> resuming = resumable(session, ordered);
                List<String> recovered = Recovery.recoverAll(session, resuming, superseded(session, ordered));
                return afterRecovery(recovered, () -> {
                    List<MigrationReport.Result> results = new ArrayList<>();
                    for (Migration migration : ordered) {
                        if (alreadyApplied(session, migration, true)) {
                            results.add(new MigrationReport.Result(migration.id(), "already_applied", "", List.of(), Duration.ZERO, List.of()));
                            continue;
                        }
                        boolean resumes = resuming.contains(migration.id());
                        PlannedMigration planned = resumes ? planResumption(session, migration) : Planner.plan(session, migration, false);
                        results.add(MigrationRun.run(session, planned, resumes));
                    }
                    return new MigrationReport(recovered, results);
                });
            });
        });
    }

    /**
     * An interrupted run that migrate will resume: counting it again would count the data half-way, and its archive
     * holds the rows it already removed, so plan says what migrate will do instead.
     */
    private static MigrationPlan.Item resumablePlan(Session session, HistoryEntry entry, Migration migration) throws SQLException {
        String interrupted = "an interrupted run of this rules file (phase " + entry.phase() + ") is in the history: ";
        String plan;
        try {
            Planner.plan(session, migration, false);
            plan = interrupted + "migrate resumes it where it stopped, keeping what it already did; "
                    + session.strategies.get(entry.strategy()).recoverResumable(entry, session.journal.of(entry.id()));
        } catch (SafeMigrateException refused) {
            plan = interrupted + "migrate would refuse to resume it now: " + refused.getMessage() + "; " + waysOut(session, entry);
        }
        return new MigrationPlan.Item(migration.id(), migration.description(), "pending", entry.strategy(), List.of(), List.of(), List.of(),
                List.of(), List.of(plan));
    }

    /**
     * Plans the resumption of an interrupted run. A refusal here comes after that run changed data, so the usual "nothing
     * was changed" of a refusal is only half the truth: the message says what state the data is in and the ways out.
     */
    private static PlannedMigration planResumption(Session session, Migration migration) throws SQLException {
        try {
            return Planner.plan(session, migration, false);
        } catch (SafeMigrateException refused) {
            HistoryEntry entry = session.journal.find(migration.id());
            throw new SafeMigrateException(refused.exitCode(), "cannot resume the interrupted run of " + migration.id() + " (phase " + entry.phase() + "): "
                    + refused.getMessage() + ". So this migrate changed nothing, but " + waysOut(session, entry));
        }
    }

    private static String waysOut(Session session, HistoryEntry entry) throws SQLException {
        return "the data is as the interrupted run left it, not as it was before that run (" + Recovery.archivedRows(session, entry.id())
                + " row(s) in its archive): `safemigrate recover` reverses it from the archive, or remove the cause of the refusal and"
                + " run migrate again to resume it";
    }

    /**
     * The interrupted runs that migrate leaves to their strategy to resume rather than to recover: those whose rules
     * file is among {@code migrations} unchanged (same checksum) and whose strategy resumes from their phase.
     */
    private static Set<String> resumable(Session session, List<Migration> migrations) {
        return interrupted(session, migrations, (entry, migration) -> entry.checksum().equals(migration.checksum())
                && session.strategies.containsKey(entry.strategy()) && session.strategies.get(entry.strategy()).resumes(entry));
    }

    /** The interrupted runs whose rules file is among {@code migrations} changed since (another checksum): see {@link dev.safemigrate.core.spi.Interrupted#superseded}. */
    private static Set<String> superseded(Session session, List<Migration> migrations) {
        return interrupted(session, migrations, (entry, migration) -> !entry.checksum().equals(migration.checksum()));
    }

    /** The ids among {@code migrations} with an {@code in_progress} history row that {@code which} accepts. */
    private static Set<String> interrupted(Session session, List<Migration> migrations, BiPredicate<HistoryEntry, Migration> which) {
        Set<String> ids = new HashSet<>();
        for (Migration migration : migrations) {
            HistoryEntry entry = session.journal.find(migration.id());
            if (entry != null && entry.status() == HistoryStatus.IN_PROGRESS && which.test(entry, migration)) {
                ids.add(migration.id());
            }
        }
        return ids;
    }

    public VerifyReport verify(List<Migration> migrations) {
        return withSession(session -> {
            CheckGuard.requireHarmless(session, migrations);
            List<VerifyReport.Check> checks = new ArrayList<>();
            for (Migration migration : inOrder(migrations)) {
                RunContext context = new RunContext(session, migration.id(), migration.guards());
                PlannedMigration planned = new PlannedMigration(migration, migration.steps(), List.of(), context, List.of(), null, List.of());
                for (CheckResult result : Checks.afterDml(session, planned, List.of())) {
                    checks.add(new VerifyReport.Check(migration.id(), result));
                }
            }
            return new VerifyReport(checks);
        });
    }

    public StatusReport status(List<Migration> known) {
        return withSession(session -> {
            List<HistoryEntry> history = historyExists(session) ? session.journal.history() : List.of();
            List<String> pending = new ArrayList<>();
            List<StatusReport.Changed> changed = new ArrayList<>();
            for (Migration migration : inOrder(known)) {
                HistoryEntry applied = history.stream().filter(h -> h.id().equals(migration.id()) && h.status() == HistoryStatus.APPLIED)
                        .findFirst().orElse(null);
                if (applied == null) {
                    pending.add(migration.id());
                } else if (!applied.checksum().equals(migration.checksum())) {
                    changed.add(new StatusReport.Changed(migration.id(), migration.source(), migration.checksum(), applied.checksum()));
                }
            }
            return new StatusReport(history, pending, changed);
        });
    }

    public UndoReport undo(String migrationId, boolean force) {
        return withSession(session -> {
            if (!historyExists(session)) {
                throw SafeMigrateException.invalid("there is no history table in this database, so there is no migration " + migrationId + " to undo");
            }
            return underLock(session, () -> {
                List<String> recovered = Recovery.recoverAll(session);
                UndoReport report = afterRecovery(recovered, () -> Undo.undo(session, migrationId, force));
                List<String> notes = new ArrayList<>(recovered);
                notes.addAll(report.notes());
                return new UndoReport(report.id(), report.rowsRestored(), report.objectsDropped(), notes);
            });
        });
    }

    public String abandon(String migrationId) {
        return withSession(session -> {
            if (!historyExists(session)) {
                throw SafeMigrateException.invalid("there is no history table in this database, so there is no run of " + migrationId + " to abandon");
            }
            return underLock(session, () -> Recovery.abandon(session, migrationId));
        });
    }

    public List<String> recover() {
        return withSession(session -> {
            if (!historyExists(session)) {
                return List.of();
            }
            return underLock(session, () -> {
                session.createBookkeepingTables();
                return Recovery.recoverAll(session);
            });
        });
    }
}
