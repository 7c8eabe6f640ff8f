package dev.safemigrate.core.kit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.MigrationPlan;
import dev.safemigrate.core.RunListener;
import dev.safemigrate.core.SafeMigrate;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.model.NullsMode;
import dev.safemigrate.core.model.Online;
import dev.safemigrate.core.model.OrderItem;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.spi.StepOutcome;
import dev.safemigrate.core.steps.AddUniqueStep;
import dev.safemigrate.core.steps.DedupeStep;
import dev.safemigrate.core.steps.Repoint;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The reversal of a failed online run ({@link OnlineKit}'s tables): it puts the archive back in short transactions while
 * writers go on, with the key guard in place until the end; a child row a writer changed or deleted after its chunk
 * repointed it is left as the writer left it (and counted in the message); a loser whose primary key a writer took
 * since stops the reversal (exit 5) until the row is moved, and recover then puts everything back; a reversal stopped
 * part-way goes on in recover where it stopped.
 */
public abstract class OnlineReversalKit extends KitSupport {
    private static final int ROWS = OnlineKit.SMALL_ROWS;
    private static final int DISTINCT = OnlineKit.distinct(ROWS);
    private static final Pattern SLICES = Pattern.compile("in (\\d+) short transaction\\(s\\), the longest (\\d+) ms");

    private record State(List<Map<String, Object>> items, List<Map<String, Object>> refs) {
    }

    private State rows() throws SQLException {
        return new State(Fixture.rows(dataSource, "online_items WHERE id < " + OnlineWriters.FRESH_IDS, "id"), Fixture.rows(dataSource, "online_refs", "id"));
    }

    private long count(String sql) throws SQLException {
        return Fixture.count(dataSource, sql);
    }

    private SafeMigrate safeMigrate(RunListener listener, UnaryOperator<Connection> decorator) {
        return configure(SafeMigrate.builder().dataSource(dataSource).lockTimeout(Duration.ofSeconds(30)).listener(listener)
                .connectionDecorator(decorator)).build();
    }

    private static Migration automatic() {
        return OnlineKit.onlineMigration(new Online(OnlineKit.MAX_LOCK, OptionalLong.empty(), Duration.ZERO));
    }

    /** Fails the statement that adds the constraint, once every chunk committed; counts the reversal's slices (each puts losers back). */
    private static StatementHook.Hook failingAtTheConstraint(AtomicInteger slices) {
        return sql -> {
            if (sql == null) {
                return;
            }
            if (sql.startsWith("ALTER TABLE") && sql.contains("ADD CONSTRAINT")) {
                throw new SQLException("injected failure at the constraint");
            }
            if (reversalSlice(sql)) {
                slices.incrementAndGet();
            }
        };
    }

    /** Whether {@code sql} is a slice of the reversal putting losers back (the late pass's slices insert into a work table). */
    private static boolean reversalSlice(String sql) {
        return sql != null && sql.startsWith("INSERT INTO") && sql.contains(" n ON a.") && !sql.substring(0, sql.indexOf(" (")).contains("sm_");
    }

    /** A writer's statements. */
    private interface Write {
        void run() throws SQLException;
    }

    /** Runs {@code work} once every chunk committed (the last chunk's event). */
    private static RunListener afterTheLastChunk(Write work) {
        return new RunListener() {
            @Override
            public void chunkDone(String id, int chunk, int estimatedChunks, long rowsDone, long rowsTotal, Duration elapsed) {
                if (rowsDone == rowsTotal) {
                    try {
                        work.run();
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        };
    }

    /**
     * 2,000 losers and 1,000 children at losers, every chunk committed, the constraint fails: the reversal goes through
     * the archive in several transactions (each sized like a chunk, none held much past max_lock_ms) while a writer
     * inserts rows all along; the rows are as before, every written row is there, no guard or work table is left.
     */
    @Test
    void aFailedRunIsReversedInShortTransactionsWhileWritersGoOn() throws Exception {
        OnlineKit.seed(dataSource, ROWS, true);
        State before = rows();
        AtomicInteger slices = new AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<SQLException> duplicate = new java.util.concurrent.atomic.AtomicReference<>();
        StatementHook.Hook hook = failingAtTheConstraint(slices);
        // Before the second slice (the first one committed, the reversal half done), another writer tries to duplicate the key of item 1.
        StatementHook duplicateDuringTheReversal = new StatementHook(sql -> {
            hook.before(sql);
            if (reversalSlice(sql) && slices.get() == 2) {
                try {
                    Fixture.execute(dataSource, "INSERT INTO online_items (id, grp, k, payload) VALUES (" + OnlineWriters.DUPLICATE_IDS
                            + ", 1, 0, 'duplicate during the reversal')");
                } catch (SQLException refused) {
                    duplicate.set(refused);
                }
            }
        });
        OnlineWriters writers = new OnlineWriters(dataSource, ROWS, DISTINCT);
        RunListener startAtGuard = new RunListener() {
            @Override
            public void phaseReached(String id, String phase) {
                if (phase.equals(RunListener.Phase.GUARDED)) {
                    writers.start(false);
                }
            }
        };
        long started = System.nanoTime();
        SafeMigrateException failure;
        try (writers) {
            failure = failure(ExitCode.FAILED_RESTORED, () -> safeMigrate(startAtGuard, duplicateDuringTheReversal).migrate(List.of(automatic())));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        System.out.printf("online reversal (%s): %d slices, run and reversal %d ms, longest writer wait %d ms (%d fresh rows); %s%n",
                getClass().getSimpleName(), slices.get(), took.toMillis(), writers.longestWaitMillis(), writers.freshInserted.get(), failure.getMessage());
        Matcher figures = SLICES.matcher(failure.getMessage());
        assertThat(figures.find()).as(failure.getMessage()).isTrue();
        assertThat(Integer.parseInt(figures.group(1))).as("transactions the message counts").isEqualTo(slices.get()).isGreaterThan(3);
        assertThat(Long.parseLong(figures.group(2))).as("longest reversal transaction").isLessThan(OnlineKit.MAX_LOCK.toMillis() + OnlineKit.WAIT_SLACK_MS);
        assertThat(failure.getMessage()).contains("injected failure at the constraint").contains("(" + (ROWS - DISTINCT + (ROWS - DISTINCT) / 2)
                + " row(s) and value(s) restored, in ").contains("as it was before the run").doesNotContain("except");
        assertThat(rows()).isEqualTo(before);
        assertThat((Throwable) duplicate.get()).as("the guard refused a duplicate while the reversal ran").isNotNull()
                .hasMessageContaining("safemigrate is adding");
        assertThat(duplicate.get().getSQLState()).startsWith("23");
        assertThat(writers.unexpected).isEmpty();
        assertThat(writers.freshFailures).isEmpty();
        assertThat(count("SELECT COUNT(*) FROM online_items WHERE id >= " + OnlineWriters.FRESH_IDS)).isEqualTo(writers.freshInserted.get()).isPositive();
        assertThat(writers.longestWaitMillis()).as("longest writer wait").isLessThan(OnlineKit.MAX_LOCK.toMillis() + OnlineKit.WAIT_SLACK_MS);
        assertThat(Fixture.constraintExists(dataSource, "uq_online_items_grp_k")).isFalse();
        assertThat(historyStatus("online_001_items")).isEqualTo("rolled_back");
        assertThat(archivedRowCount()).isZero();
        OnlineKit.assertNothingLeftBehind(this);
    }

    /**
     * After the last chunk a writer points child 1 (repointed from its loser to the survivor, item 1) at item 5 and
     * deletes child 2: the reversal puts every other child back at its loser, keeps the writer's item 5 and leaves child
     * 2 deleted, and its message counts the two rows instead of claiming the state before the run.
     */
    @Test
    void aChildAWriterChangedOrDeletedAfterItsChunkIsLeftAsTheWriterLeftIt() throws Exception {
        OnlineKit.seed(dataSource, ROWS, true);
        State before = rows();
        assertThat(count("SELECT item_id FROM online_refs WHERE id = 1")).as("child 1 points at a loser").isEqualTo(DISTINCT + 1);
        RunListener writer = afterTheLastChunk(() -> Fixture.execute(dataSource, "UPDATE online_refs SET item_id = 5 WHERE id = 1",
                "DELETE FROM online_refs WHERE id = 2"));

        SafeMigrateException failure = failure(ExitCode.FAILED_RESTORED, () -> safeMigrate(writer, new StatementHook(failingAtTheConstraint(new AtomicInteger())))
                .migrate(List.of(automatic())));

        assertThat(failure.getMessage()).contains("as it was before the run except that 2 row(s) of").contains("online_refs that writers changed or"
                + " deleted after the run had repointed them were left as the writers left them");
        assertThat(count("SELECT item_id FROM online_refs WHERE id = 1")).as("the writer's value").isEqualTo(5);
        assertThat(count("SELECT COUNT(*) FROM online_refs WHERE id = 2")).as("deleted by the writer").isZero();
        State after = rows();
        assertThat(after.items()).isEqualTo(before.items());
        assertThat(after.refs().stream().filter(r -> ((Number) r.get("id")).longValue() > 2).toList())
                .isEqualTo(before.refs().stream().filter(r -> ((Number) r.get("id")).longValue() > 2).toList());
        assertThat(historyStatus("online_001_items")).isEqualTo("rolled_back");
        OnlineKit.assertNothingLeftBehind(this);
    }

    /**
     * After the last chunk a writer inserts a row with the primary key of a deleted loser (a key of its own, so the guard
     * lets it in): the loser cannot come back, so the reversal puts nothing back and stops (exit 5, naming the key, the
     * history in progress, the guard kept); once the row is removed, recover puts everything back.
     */
    @Test
    void aLoserWhosePrimaryKeyAWriterTookStopsTheReversalUntilRecover() throws Exception {
        OnlineKit.seed(dataSource, ROWS, true);
        State before = rows();
        long taken = DISTINCT + 7;
        RunListener writer = afterTheLastChunk(() -> Fixture.execute(dataSource, "INSERT INTO online_items (id, grp, k, payload) VALUES (" + taken
                + ", 5000, 1, 'took a loser''s id')"));

        SafeMigrateException failure = failure(ExitCode.INTERMEDIATE, () -> safeMigrate(writer, new StatementHook(failingAtTheConstraint(new AtomicInteger())))
                .migrate(List.of(automatic())));

        assertThat(failure.getMessage()).contains("were NOT reversed").contains("primary key of a row it would put back, for example (" + taken + ")")
                .contains("recover").doesNotContain("as it was before");
        assertThat(historyStatus("online_001_items")).isEqualTo("in_progress");
        assertThat(count("SELECT COUNT(*) FROM online_items WHERE id < " + OnlineWriters.FRESH_IDS)).as("nothing put back").isEqualTo(DISTINCT + 1);
        assertThat(Fixture.tables(dataSource)).as("the work tables stay for recover").anyMatch(t -> t.startsWith("sm_online_"));

        Fixture.execute(dataSource, "DELETE FROM online_items WHERE id = " + taken);
        List<String> recovered = safeMigrate(new RunListener() { }, UnaryOperator.identity()).recover();

        assertThat(recovered).singleElement().asString().contains("reversed it from the archive").contains("short transaction(s)");
        assertThat(rows()).isEqualTo(before);
        assertThat(historyStatus("online_001_items")).isEqualTo("rolled_back");
        OnlineKit.assertNothingLeftBehind(this);
    }

    /**
     * The reversal's third slice fails: the two before it stay committed, the run stops (exit 5, saying it was partly
     * reversed and that recover goes on), and recover puts back the rest from where it stopped: the rows are as before.
     */
    @Test
    void aReversalStoppedPartWayGoesOnInRecover() throws Exception {
        OnlineKit.seed(dataSource, ROWS, true);
        State before = rows();
        AtomicInteger slices = new AtomicInteger();
        StatementHook.Hook failing = failingAtTheConstraint(slices);
        StatementHook failThirdSlice = new StatementHook(sql -> {
            failing.before(sql);
            if (reversalSlice(sql) && slices.get() == 3) {
                throw new SQLException("injected failure in the third slice");
            }
        });

        SafeMigrateException failure = failure(ExitCode.INTERMEDIATE, () -> safeMigrate(new RunListener() { }, failThirdSlice)
                .migrate(List.of(OnlineKit.onlineMigration(new Online(OnlineKit.MAX_LOCK, OptionalLong.of(300), Duration.ZERO)))));

        assertThat(failure.getMessage()).contains("only partly reversed").contains("injected failure in the third slice").contains("recover goes on");
        String phase = (String) Fixture.query(dataSource, "SELECT phase FROM safemigrate_history WHERE id = 'online_001_items'").get(0).get("phase");
        assertThat(phase).isEqualTo("online_reversing:600/" + (ROWS - DISTINCT));
        assertThat(count("SELECT COUNT(*) FROM online_items")).as("two slices of 300 put back").isEqualTo(DISTINCT + 600);

        List<String> recovered = safeMigrate(new RunListener() { }, UnaryOperator.identity()).recover();

        assertThat(recovered).singleElement().asString().contains("reversed it from the archive");
        assertThat(rows()).isEqualTo(before);
        assertThat(historyStatus("online_001_items")).isEqualTo("rolled_back");
        OnlineKit.assertNothingLeftBehind(this);
    }

    /**
     * A failure once the constraint exists (removing the guard) reverses the run, which first drops the constraint; a
     * writer's transaction open on the table at that moment makes the drop wait for it, up to max_lock_ms a try. On
     * MariaDB the drop had {@code WAIT 0} and the run's session waits no whole second, so it failed at once and the
     * reversal with it (a CI run beside 4 writers: exit 5).
     */
    @Test
    void aFailureAfterTheConstraintDropsItBehindAWritersShortTransactionAndReverses() throws Exception {
        OnlineKit.seed(dataSource, ROWS, true);
        State before = rows();
        java.util.concurrent.atomic.AtomicBoolean constrained = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<java.util.concurrent.CompletableFuture<Void>> released = new java.util.concurrent.atomic.AtomicReference<>();
        StatementHook failingAtTheGuardsRemoval = new StatementHook(sql -> {
            if (constrained.get() && sql != null && sql.contains("DROP TRIGGER")) {
                constrained.set(false);
                // Item 1 updated to what it holds: the rows stay as before, the table is held.
                released.set(OnlineKitSupport.holdFor(dataSource, "UPDATE online_items SET payload = payload WHERE id = 1", Duration.ofMillis(300)));
                throw new SQLException("injected failure removing the guard");
            }
        });
        RunListener atTheConstraint = new RunListener() {
            @Override
            public void phaseReached(String id, String phase) {
                constrained.compareAndSet(false, phase.equals(RunListener.Phase.CONSTRAINED));
            }
        };

        SafeMigrateException failure = failure(ExitCode.FAILED_RESTORED, () -> safeMigrate(atTheConstraint, failingAtTheGuardsRemoval)
                .migrate(List.of(OnlineKit.onlineMigration(new Online(Duration.ofMillis(900), OptionalLong.empty(), Duration.ZERO)))));

        released.get().get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(failure.getMessage()).contains("injected failure removing the guard");
        assertThat(rows()).isEqualTo(before);
        assertThat(Fixture.constraintExists(dataSource, "uq_online_items_grp_k")).isFalse();
        OnlineKit.assertNothingLeftBehind(this);
    }

    /**
     * A failed run whose guard then cannot be removed (every DROP TRIGGER fails): the data is put back, and the message
     * says the guard stayed and gives the statements that remove it; run as given, they leave nothing behind and a
     * duplicate is no longer refused.
     */
    @Test
    void aGuardThatCannotBeRemovedAfterAFailureIsNamedWithTheStatementsThatRemoveIt() throws Exception {
        OnlineKit.seed(dataSource, ROWS, true);
        State before = rows();
        java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
        StatementHook failingThenKeepingTheGuard = new StatementHook(sql -> {
            if (sql != null && sql.startsWith("ALTER TABLE") && sql.contains("ADD CONSTRAINT")) {
                failed.set(true);
                throw new SQLException("injected failure at the constraint");
            }
            if (failed.get() && sql != null && sql.contains("DROP TRIGGER")) {
                throw new SQLException("injected failure removing the guard");
            }
        });

        SafeMigrateException failure = failure(ExitCode.FAILED_RESTORED, () -> safeMigrate(new RunListener() { }, failingThenKeepingTheGuard)
                .migrate(List.of(automatic())));

        String marker = "These statements remove them: ";
        assertThat(failure.getMessage()).contains("injected failure at the constraint")
                .contains("Removing the key guard and the work tables failed (injected failure removing the guard)").contains(marker);
        assertThat(rows()).isEqualTo(before);
        for (String statement : failure.getMessage().substring(failure.getMessage().indexOf(marker) + marker.length()).split("; ")) {
            Fixture.execute(dataSource, statement);
        }
        OnlineKit.assertNothingLeftBehind(this);
        Fixture.execute(dataSource, "INSERT INTO online_items (id, grp, k, payload) VALUES (" + OnlineWriters.DUPLICATE_IDS + ", 1, 0, 'no guard')",
                "DELETE FROM online_items WHERE id = " + OnlineWriters.DUPLICATE_IDS);
    }

    /**
     * {@code online_tree}, whose rows point at each other (a self-referencing foreign key): ids 1-2000 survive (kv = id
     * mod 2000), 2001-3000 are losers, pointing at losers of later key groups (2001-2250), of earlier ones (2751-3000), of
     * the next group in a chain (2251-2261, mostly in the same chunk) or at nothing; even survivors up to 1,000 point at
     * losers. Losers of one chunk form reference cycles (2400 and 2401 point at each other, 2410 at itself, 2420 -> 2421 ->
     * 2422 -> 2420), and 111 more hang below one (2430 -> 2400, 2431-2540 -> 2430): no order of inserts puts them back
     * row by row, and they span two slices of the reversal. Returns its migration, online in fixed chunks of 300.
     */
    private Migration selfReferencingTree() throws SQLException {
        Fixture.execute(dataSource, "CREATE TABLE online_tree (id BIGINT NOT NULL PRIMARY KEY, kv INTEGER NOT NULL, parent_id BIGINT,"
                + " CONSTRAINT fk_tree_parent FOREIGN KEY (parent_id) REFERENCES online_tree (id))");
        // Parents are inserted before their children.
        Fixture.execute(dataSource, tree("2251", "2750", "NULL"), tree("2001", "2250", "n + 250"), tree("2751", "3000", "n - 500"),
                tree("1", "2000", "CASE WHEN n <= 1000 AND MOD(n, 2) = 0 THEN 2000 + n END"),
                "UPDATE online_tree SET parent_id = id + 1 WHERE id BETWEEN 2251 AND 2260",
                "UPDATE online_tree SET parent_id = 2430 WHERE id BETWEEN 2431 AND 2540", "UPDATE online_tree SET parent_id = 2400 WHERE id = 2430",
                "UPDATE online_tree SET parent_id = 2401 WHERE id = 2400", "UPDATE online_tree SET parent_id = 2400 WHERE id = 2401",
                "UPDATE online_tree SET parent_id = id WHERE id = 2410", "UPDATE online_tree SET parent_id = 2421 WHERE id = 2420",
                "UPDATE online_tree SET parent_id = 2422 WHERE id = 2421", "UPDATE online_tree SET parent_id = 2420 WHERE id = 2422");
        TableName tree = TableName.parse("online_tree");
        return migration("online_002_tree", new DedupeStep(tree, List.of("kv"), List.of(OrderItem.asc("id")), NullsMode.DISTINCT, true,
                List.of(new Repoint(tree, "parent_id", Repoint.OnConflict.FAIL))), new AddUniqueStep(tree, "uq_online_tree_kv", List.of("kv"), null))
                .inOnlineMode(new Online(OnlineKit.MAX_LOCK, OptionalLong.of(300), Duration.ZERO));
    }

    /**
     * {@link #selfReferencingTree}, the constraint fails once every chunk committed: the reversal puts back, slice by slice,
     * every row as it was, pointers included. Numbered by primary key, a loser whose parent a later chunk deleted came back
     * before its parent (a foreign key error on PostgreSQL, exit 5), and one whose parent an earlier chunk deleted came back
     * pointing at that parent's survivor; the slices now go parents first, later key groups first.
     */
    @Test
    void aSelfReferencingTableIsPutBackExactly() throws Exception {
        Migration migration = selfReferencingTree();
        List<Map<String, Object>> before = Fixture.rows(dataSource, "online_tree", "id");

        SafeMigrateException failure = failure(ExitCode.FAILED_RESTORED, () -> safeMigrate(new RunListener() { },
                new StatementHook(failingAtTheConstraint(new AtomicInteger()))).migrate(List.of(migration)));

        assertThat(failure.getMessage()).contains("injected failure at the constraint").contains("as it was before the run").doesNotContain("except");
        assertThat(Fixture.rows(dataSource, "online_tree", "id")).isEqualTo(before);
        assertThat(Fixture.constraintExists(dataSource, "uq_online_tree_kv")).isFalse();
        assertThat(historyStatus("online_002_tree")).isEqualTo("rolled_back");
        assertThat(archivedRowCount()).isZero();
        assertThat(Fixture.tables(dataSource)).noneMatch(t -> t.startsWith("sm_online_"));
    }

    /**
     * {@link #selfReferencingTree} migrated online: every row left points where the offline run would have it (a loser's
     * survivor in place of the loser), and the run updated no more rows than plan said it might (a loser pointing at a
     * loser of a later chunk is deleted before it would be repointed); {@code undo} then puts every row back as it was.
     */
    @Test
    void aSelfReferencingTableIsMigratedOnlineAndUndoneExactly() throws Exception {
        Migration migration = selfReferencingTree();
        List<Map<String, Object>> before = Fixture.rows(dataSource, "online_tree", "id");
        MigrationPlan.Item plan = safeMigrate().plan(List.of(migration)).migrations().get(0);
        assertThat(plan.strategyPlan()).anyMatch(line -> line.startsWith("rows to update is at most"));

        StepOutcome outcome = safeMigrate().migrate(List.of(migration)).migrations().get(0).steps().get(0).outcome();

        System.out.printf("self-referencing online run (%s): plan deletes %d, updates at most %d; the run deleted %d, updated %d%n",
                getClass().getSimpleName(), plan.steps().get(0).estimate().rowsToDelete(), plan.steps().get(0).estimate().rowsToUpdate(),
                outcome.deleted(), outcome.updated());
        assertThat(outcome.deleted()).isEqualTo(plan.steps().get(0).estimate().rowsToDelete()).isEqualTo(1000);
        assertThat(outcome.updated()).isPositive().isLessThanOrEqualTo(plan.steps().get(0).estimate().rowsToUpdate());

        List<String> expected = before.stream().filter(r -> number(r, "id") <= 2000)
                .map(r -> number(r, "id") + "->" + (r.get("parent_id") == null ? "null" : Long.toString(survivor(number(r, "parent_id"))))).toList();
        List<String> after = Fixture.rows(dataSource, "online_tree", "id").stream()
                .map(r -> number(r, "id") + "->" + (r.get("parent_id") == null ? "null" : Long.toString(number(r, "parent_id")))).toList();
        assertThat(after).isEqualTo(expected);
        assertThat(Fixture.constraintExists(dataSource, "uq_online_tree_kv")).isTrue();
        assertThat(historyStatus("online_002_tree")).isEqualTo("applied");

        safeMigrate().undo("online_002_tree");

        assertThat(Fixture.rows(dataSource, "online_tree", "id")).isEqualTo(before);
        assertThat(historyStatus("online_002_tree")).isEqualTo("undone");
    }

    /**
     * Rows that point at rows of the same table through two columns: the reversal's slices order each row after the rows
     * it points at through any one of them (a recursive numbering that, with two, can also loop on a cycle), so online mode
     * refuses it before any change; offline runs it.
     */
    @Test
    void aTablePointingAtItselfThroughTwoColumnsIsRefusedOnline() throws Exception {
        Fixture.execute(dataSource, "CREATE TABLE online_pair (id INTEGER NOT NULL PRIMARY KEY, kv INTEGER NOT NULL, a_id INTEGER, b_id INTEGER,"
                + " CONSTRAINT fk_pair_a FOREIGN KEY (a_id) REFERENCES online_pair (id), CONSTRAINT fk_pair_b FOREIGN KEY (b_id) REFERENCES online_pair (id))",
                "INSERT INTO online_pair (id, kv, a_id, b_id) VALUES (1, 1, NULL, NULL), (2, 2, 1, NULL), (3, 1, 2, 1), (4, 2, 3, 3)");
        TableName pair = TableName.parse("online_pair");
        Migration migration = migration("online_003_pair", new DedupeStep(pair, List.of("kv"), List.of(OrderItem.asc("id")), NullsMode.DISTINCT, true,
                List.of(new Repoint(pair, "a_id", Repoint.OnConflict.FAIL), new Repoint(pair, "b_id", Repoint.OnConflict.FAIL))),
                new AddUniqueStep(pair, "uq_online_pair_kv", List.of("kv"), null));
        List<Map<String, Object>> before = Fixture.rows(dataSource, "online_pair", "id");

        assertThat(failure(ExitCode.REFUSED, () -> safeMigrate().plan(List.of(migration.inOnlineMode(Online.DEFAULT)))).getMessage())
                .contains("mode: online is refused").contains("more than one repoint of online_pair itself").contains("mode: offline");
        failure(ExitCode.REFUSED, () -> safeMigrate().migrate(List.of(migration.inOnlineMode(Online.DEFAULT))));
        assertThat(Fixture.rows(dataSource, "online_pair", "id")).isEqualTo(before);
        assertThat(Fixture.tables(dataSource)).noneMatch(t -> t.startsWith("sm_"));

        safeMigrate().migrate(List.of(migration));
        assertThat(Fixture.count(dataSource, "SELECT COUNT(*) FROM online_pair WHERE a_id > 2 OR b_id > 2")).isZero();
        safeMigrate().undo("online_003_pair");
        assertThat(Fixture.rows(dataSource, "online_pair", "id")).isEqualTo(before);
    }

    private static long number(Map<String, Object> row, String column) {
        return ((Number) row.get(column)).longValue();
    }

    /** The survivor of row {@code id} of {@link #selfReferencingTree}: the row whose id is its kv. */
    private static long survivor(long id) {
        return id > 2000 ? id % 2000 : id;
    }

    private static String tree(String from, String to, String parent) {
        return "INSERT INTO online_tree (id, kv, parent_id) SELECT n, MOD(n, 2000), " + parent + " FROM (SELECT a.d + 10 * b.d + 100 * c.d + 1000 * e.d AS n"
                + " FROM (SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6"
                + " UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) a, (SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3"
                + " UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) b, (SELECT 0 AS d"
                + " UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7"
                + " UNION ALL SELECT 8 UNION ALL SELECT 9) c, (SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3) e) x"
                + " WHERE n BETWEEN " + from + " AND " + to;
    }
}
