package dev.safemigrate.core.spi;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * One step of a migration. Before anything changes the engine calls {@link #validate} and creates the
 * {@link #archives} the step asks for ({@code plan} calls {@link #estimate} instead). A {@link StepKind#DML} step
 * then {@link #apply applies} inside the data transaction and says, in {@link #restoreStatements},
 * how to put everything back from its archive. A {@link StepKind#DDL} step hands the engine its
 * {@link #ddl statements}, each with its undo, which the engine journals and runs one at a time.
 * Restore and undo SQL is journaled, so a crashed run can be reversed without the rules file.
 */
public interface Step {
    /** The rules-file key: {@code dedupe}, {@code add_unique}, ... */
    String type();

    /** One line for humans: the type, the table and the columns. */
    String summary();

    StepKind kind();

    /**
     * Tables whose rows or definition this step changes, and how (counting its reversal): writers are kept
     * out of them, and triggers that would fire refuse the migration unless the rules allow them.
     */
    List<TableWrite> writes();

    /** The execution strategy this step asks for ({@code strategy: shadow_swap}), if any. */
    default Optional<String> strategy() {
        return Optional.empty();
    }

    /**
     * The step as it runs among {@code steps} (the whole migration, in execution order): a step may take
     * what it needs from the others (an add_unique takes the NULL semantics of a dedupe of the same
     * columns) and warn about what is missing, through {@link StepContext#warn}.
     */
    default Step inMigration(List<Step> steps, StepContext context) {
        return this;
    }

    /** Catalog checks: names exist, keys are covered, names to create are free. Throws exit 2 or 3. */
    void validate(StepContext context) throws SQLException;

    /**
     * What the step would do, counted read-only, for {@code plan}. {@code migrate} does not call it, so a
     * step checks its guards in {@link #apply} as well, on what it archived.
     */
    StepEstimate estimate(StepContext context) throws SQLException;

    /** The archive tables this step writes; created before the first change. */
    default List<ArchiveSpec> archives(StepContext context) throws SQLException {
        return List.of();
    }

    /** DML: archive, then change. Runs inside the data transaction. */
    default StepOutcome apply(StepContext context) throws SQLException {
        return StepOutcome.NOOP;
    }

    /**
     * DML: statements that put back every row and value {@link #apply} changed, reading the archive.
     * They run in one transaction, in order, before the archive is emptied.
     */
    default List<Restore> restoreStatements(StepContext context) throws SQLException {
        return List.of();
    }

    /**
     * DML: queries, run before an {@code undo}, that list the keys of rows which stop the restore from
     * putting the data back exactly: rows inserted since with the key of a row to put back, rows changed
     * since the migration. Any row returned refuses the undo.
     */
    default List<UndoBlocker> undoBlockers(StepContext context) throws SQLException {
        return List.of();
    }

    /** DDL: what to create; empty when it already exists as declared. */
    default List<DdlAction> ddl(StepContext context) throws SQLException {
        return List.of();
    }

    /** Facts that must hold once every DML step ran, before any DDL; also what {@code verify} checks. */
    default List<Invariant> invariants(StepContext context) throws SQLException {
        return List.of();
    }

    /**
     * DDL: invariants the database refuses to break while it runs {@link #ddl} (a unique constraint cannot
     * be built over duplicates). The engine leaves these to the DDL instead of counting them first, and
     * counts them only when the DDL fails, to name what broke it. Declare nothing the DDL does not enforce
     * exactly.
     */
    default List<Invariant> enforcedByDdl(StepContext context) throws SQLException {
        return List.of();
    }
}
