package dev.safemigrate.core.kit.fuzz;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.MigrationPlan;
import dev.safemigrate.core.MigrationReport;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.UndoReport;
import dev.safemigrate.core.kit.FaultInjector;
import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.kit.KitSupport;
import dev.safemigrate.core.kit.StatementHook;
import dev.safemigrate.core.kit.fuzz.FuzzTally.Finding;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.spi.StepEstimate;
import dev.safemigrate.core.spi.StepOutcome;
import dev.safemigrate.core.steps.AddUniqueStep;
import dev.safemigrate.core.steps.DedupeStep;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/**
 * One fuzz case: each migration planned, then migrated cleanly, with a fault at a random statement, or
 * killed at a random statement (a {@link KitSupport.SimulatedCrash}, CrashKit's way) and recovered; then every
 * applied migration undone in random order, sometimes with a fault. Each outcome is checked against the data
 * ({@link FuzzState}), and every broken promise goes to the {@link FuzzTally}.
 */
final class FuzzRun {
    private final KitSupport kit;
    private final DataSource dataSource;
    private final FuzzSchema schema;
    private final Random random;
    private final FuzzTally tally;
    private final Set<String> everApplied = new HashSet<>();

    FuzzRun(KitSupport kit, DataSource dataSource, FuzzSchema schema, Random random, FuzzTally tally) {
        this.kit = kit;
        this.dataSource = dataSource;
        this.schema = schema;
        this.random = random;
        this.tally = tally;
    }

    void run() throws Exception {
        Fixture.execute(dataSource, schema.setup.toArray(String[]::new));
        FuzzState original = state();
        for (Migration migration : schema.migrations) {
            migrate(migration);
        }
        undoAll(original);
        if (Fixture.tables(dataSource).contains("safemigrate_history")
                && Fixture.count(dataSource, "SELECT COUNT(*) FROM safemigrate_history WHERE status = 'in_progress'") > 0) {
            tally.found(Finding.STUCK_STATE, "a history row is still in_progress after every command ran");
        }
        recover("at the end");
    }

    private FuzzState state() throws Exception {
        return FuzzState.take(dataSource, schema);
    }

    private void migrate(Migration migration) throws Exception {
        FuzzState before = state();
        MigrationPlan.Item planned = null;
        try {
            planned = kit.safeMigrate().plan(List.of(migration)).migrations().get(0);
        } catch (SafeMigrateException e) {
            tally.count("plan refused (exit " + e.exitCode().code() + ")");
        }
        tally.did("plan " + migration.id() + (planned == null ? " refused" : " ok"));
        if (!state().equals(before)) {
            tally.found(Finding.REFUSAL_CHANGED_DATA, "plan of " + migration.id() + " changed the data");
        }
        double mode = random.nextDouble();
        int faultAt = mode < 0.4 ? 1 + random.nextInt(45) : 0;
        FaultInjector fault = new FaultInjector(faultAt);
        AtomicInteger statements = new AtomicInteger();
        int crashAt = mode >= 0.7 ? 1 + random.nextInt(35) : 0;
        UnaryOperator<Connection> crash = new StatementHook(sql -> {
            if (statements.incrementAndGet() == crashAt) {
                throw new KitSupport.SimulatedCrash("statement " + crashAt + ": " + sql);
            }
        });
        if (migration.online().isPresent()) {
            tally.count("online runs");
        }
        tally.did("migrate " + migration.id() + (migration.online().isPresent() ? " online" : "")
                + (faultAt > 0 ? " with a fault at statement " + faultAt : crashAt > 0 ? " killed at statement " + crashAt : ""));
        boolean interfered = run(migration, before, planned, crashAt > 0 ? crash : fault, crashAt == 0 && faultAt == 0);
        if (fault.failedStatement() != null) {
            tally.count("faults injected");
        }
        if (interfered && !"applied".equals(kit.historyStatus(migration.id()))) {
            tally.did("migrate " + migration.id());
            run(migration, before, planned, UnaryOperator.identity(), true);
        }
    }

    /** Runs {@code migrate} once and checks what it says against the data; true when a fault or crash struck. */
    private boolean run(Migration migration, FuzzState before, MigrationPlan.Item planned, UnaryOperator<Connection> decorator, boolean clean)
            throws Exception {
        String what = "migrate " + migration.id();
        try {
            MigrationReport report = kit.safeMigrate(decorator).migrate(List.of(migration));
            tally.count("applied");
            tally.did("applied");
            checkApplied(migration, before, what, report.migrations().get(0));
            checkCounts(migration, planned, report.migrations().get(0));
            if (planned == null) {
                tally.found(Finding.PLAN_COUNTS, "plan refused " + migration.id() + " but migrate applied it");
            }
            return false;
        } catch (SafeMigrateException e) {
            failed(migration, before, what, e);
            if (planned != null && e.exitCode() == ExitCode.REFUSED && clean) {
                tally.found(Finding.PLAN_COUNTS, "plan accepted " + migration.id() + " but migrate refused it: " + e.getMessage());
            }
            return e.getMessage().contains("injected fault");
        } catch (KitSupport.SimulatedCrash crash) {
            tally.count("killed");
            tally.did("killed (" + crash.getMessage() + ")");
            recover("after " + what + " was killed at " + crash.getMessage());
            String status = kit.historyStatus(migration.id());
            if ("applied".equals(status)) {
                checkApplied(migration, before, what + " killed, then recovered", null);
            } else {
                expectUnchanged(before, what + " killed, then recovered (history " + status + ")", "", Finding.ROWS_LOST);
            }
            return true;
        }
    }

    /**
     * A migration reported applied: history, constraints, no duplicates, no row lost (each row in its table or an
     * archive; with {@code archive: false}, whose archives are gone, rows before = rows after + rows deleted).
     */
    private void checkApplied(Migration migration, FuzzState before, String what, MigrationReport.Result result) throws Exception {
        everApplied.add(migration.id());
        FuzzState after = state();
        if (!"applied".equals(kit.historyStatus(migration.id()))) {
            tally.found(Finding.FALSE_MESSAGE, what + " said applied; history says " + kit.historyStatus(migration.id()));
        }
        for (AddUniqueStep unique : uniques(migration)) {
            if (!Fixture.constraintExists(dataSource, unique.name()) || after.duplicates(dataSource, unique) > 0) {
                tally.found(Finding.FALSE_MESSAGE, what + " said applied, but " + unique.name() + " is missing or its columns hold duplicates");
            }
        }
        boolean archived = migration.steps().stream().noneMatch(s -> s instanceof DedupeStep d && !d.archive());
        List<String> lost = archived ? before.rowsMissingFrom(after, schema.triggerAllowed) : List.of();
        if (!lost.isEmpty()) {
            tally.found(Finding.ROWS_LOST, what + ": rows neither in their table nor in an archive: " + lost);
        }
        long deleted = result == null ? 0 : result.steps().stream().mapToLong(s -> s.outcome().deleted()).sum();
        if (!archived && result != null && before.rows(schema.triggerAllowed) != after.rows(schema.triggerAllowed) + deleted) {
            tally.found(Finding.ROWS_LOST, what + ": rows before " + before.rows(schema.triggerAllowed) + " != rows after "
                    + after.rows(schema.triggerAllowed) + " + rows deleted " + deleted);
        }
    }

    /** plan's rows to delete and update per DML step equal what migrate did. */
    private void checkCounts(Migration migration, MigrationPlan.Item planned, MigrationReport.Result result) {
        if (planned == null || !"applied".equals(result.outcome())) {
            return;
        }
        List<DedupeStep> dedupes = migration.steps().stream().filter(DedupeStep.class::isInstance).map(DedupeStep.class::cast).toList();
        Set<String> written = new HashSet<>();
        for (int i = 0; i < dedupes.size(); i++) {
            StepEstimate estimate = planned.steps().get(i).estimate();
            StepOutcome outcome = result.steps().get(i).outcome();
            DedupeStep step = dedupes.get(i);
            // Online, a duplicate pointing at a duplicate of a later chunk is deleted before it would be repointed; plan says so.
            boolean atMost = planned.strategyPlan().stream().anyMatch(line -> line.startsWith("rows to update is at most"));
            boolean updatesAsPlanned = atMost ? outcome.updated() <= estimate.rowsToUpdate() : outcome.updated() == estimate.rowsToUpdate();
            if (estimate.rowsToDelete() != outcome.deleted() || !updatesAsPlanned) {
                // plan changes nothing, so it counts a step whose table an earlier step writes on the data as it is, and says so.
                boolean said = estimate.notes().stream().anyMatch(n -> n.contains("counted on the data as it is now"));
                Finding finding = written.contains(step.table().toString()) && said ? Finding.PLAN_COUNTS_OF_A_LATER_STEP : Finding.PLAN_COUNTS;
                tally.found(finding, String.format("%s step %d (%s): plan deletes %d, updates %d; migrate deleted %d, updated %d", migration.id(), i + 1,
                        step.summary(), estimate.rowsToDelete(), estimate.rowsToUpdate(), outcome.deleted(), outcome.updated()));
            }
            written.add(step.table().toString());
            step.repoint().forEach(r -> written.add(r.table().toString()));
        }
    }

    /** A failed command: exit 1, 2, 3 and 6 promise the data as it was; 5 must never happen here, and recover must end it. */
    private void failed(Migration migration, FuzzState before, String what, SafeMigrateException e) throws Exception {
        ExitCode code = e.exitCode();
        tally.did("exit " + code.code() + ": " + e.getMessage());
        tally.count(what.substring(0, what.indexOf(' ')) + " exit " + code.code());
        if (code == ExitCode.INTERMEDIATE) {
            tally.found(Finding.EXIT_5, what + ": " + e.getMessage());
            recover("after exit 5 of " + what);
            return;
        }
        Finding finding = code == ExitCode.FAILED_RESTORED ? Finding.FALSE_MESSAGE : Finding.REFUSAL_CHANGED_DATA;
        expectUnchanged(before, what + " (exit " + code.code() + ")", e.getMessage(), finding);
        if ("in_progress".equals(kit.historyStatus(migration.id()))) {
            tally.found(Finding.STUCK_STATE, what + " exit " + code.code() + " left the history in_progress");
        }
    }

    /**
     * The data must be as {@code before}; what an allowed trigger did may differ only where the message says so, and
     * what the recover before a command did (finishing an earlier run) only where the message says that.
     */
    private void expectUnchanged(FuzzState before, String what, String message, Finding finding) throws Exception {
        FuzzState after = state();
        if (after.equals(before)) {
            return;
        }
        if (message.contains("(before that, recover: ")) {
            List<String> lost = before.rowsMissingFrom(after, schema.triggerAllowed);
            if (!lost.isEmpty()) {
                tally.found(Finding.ROWS_LOST, what + " after a recover: rows neither in their table nor in an archive: " + lost);
            }
            return;
        }
        boolean notesOnly = schema.triggerAllowed && after.equalsApartFromNotes(before);
        if (!notesOnly) {
            tally.found(before.rowsMissingFrom(after, schema.triggerAllowed).isEmpty() ? finding : Finding.ROWS_LOST,
                    what + ", the data is not as it was: " + before.difference(after) + (message.isEmpty() ? "" : "; message: " + message));
        } else if (!message.isEmpty() && !message.contains("Not put back")) {
            tally.found(Finding.FALSE_MESSAGE, what + ": the allowed trigger's deletes stay, but the message does not say so: " + message);
        }
    }

    /** recover must always reach a clean state: no exception, nothing in_progress, and a second recover has nothing to do. */
    private void recover(String when) throws Exception {
        try {
            tally.did("recover: " + kit.safeMigrate().recover());
            List<String> again = kit.safeMigrate().recover();
            if (!again.isEmpty()) {
                tally.found(Finding.STUCK_STATE, "recover " + when + " left work for a second recover: " + again);
            }
        } catch (SafeMigrateException e) {
            tally.found(Finding.STUCK_STATE, "recover " + when + " ended with exit " + e.exitCode().code() + ": " + e.getMessage());
        }
    }

    /** Undoes every applied migration in random order, retrying refused ones while others still go. */
    private void undoAll(FuzzState original) throws Exception {
        boolean progress = true;
        while (progress) {
            progress = false;
            List<Migration> applied = new ArrayList<>();
            for (Migration migration : schema.migrations) {
                if ("applied".equals(kit.historyStatus(migration.id()))) {
                    applied.add(migration);
                }
            }
            if (applied.isEmpty()) {
                if (!everApplied.isEmpty()) {
                    // An undo may leave empty archive tables for the next recover to remove, saying so; this checks it does.
                    recover("after the last undo");
                    expectUnchanged(original, "every migration undone, then recover", "", Finding.FALSE_MESSAGE);
                    if (!kit.archiveTables().isEmpty()) {
                        tally.found(Finding.FALSE_MESSAGE, "every migration undone, then recover, but archive tables are left: " + kit.archiveTables());
                    }
                }
                return;
            }
            Collections.shuffle(applied, random);
            for (Migration migration : applied) {
                progress |= undo(migration);
            }
        }
        tally.count("undo blocked for good");
    }

    private boolean undo(Migration migration) throws Exception {
        FuzzState before = state();
        int faultAt = random.nextDouble() < 0.3 ? 1 + random.nextInt(40) : 0;
        FaultInjector fault = new FaultInjector(faultAt);
        String what = "undo " + migration.id();
        tally.did(what + (faultAt > 0 ? " with a fault at statement " + faultAt : ""));
        try {
            UndoReport report = kit.safeMigrate(fault).undo(migration.id());
            tally.count("undone");
            tally.did("undone, notes " + report.notes());
            if (!"undone".equals(kit.historyStatus(migration.id()))) {
                tally.found(Finding.FALSE_MESSAGE, what + " succeeded; history says " + kit.historyStatus(migration.id()));
            }
            for (AddUniqueStep unique : uniques(migration)) {
                if (Fixture.constraintExists(dataSource, unique.name())) {
                    tally.found(Finding.FALSE_MESSAGE, what + " succeeded, but " + unique.name() + " still exists");
                }
            }
            if (schema.triggerAllowed && migration.id().equals("fz_1") && report.notes().stream().noneMatch(n -> n.toLowerCase(java.util.Locale.ROOT).contains(FuzzSchema.DELETE_TRIGGER))) {
                tally.found(Finding.FALSE_MESSAGE, what + ": the allowed trigger's deletes are not put back, and the notes do not say so: " + report.notes());
            }
            return true;
        } catch (SafeMigrateException e) {
            failed(migration, before, what, e);
            if (fault.failedStatement() != null) {
                tally.count("faults injected");
            }
            return fault.failedStatement() != null;
        }
    }

    private static List<AddUniqueStep> uniques(Migration migration) {
        return migration.steps().stream().filter(AddUniqueStep.class::isInstance).map(AddUniqueStep.class::cast).toList();
    }
}
