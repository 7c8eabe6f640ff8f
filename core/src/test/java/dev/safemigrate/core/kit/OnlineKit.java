package dev.safemigrate.core.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.MigrationPlan;
import dev.safemigrate.core.MigrationReport;
import dev.safemigrate.core.RunListener;
import dev.safemigrate.core.SafeMigrate;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.StatusReport;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.model.NullsMode;
import dev.safemigrate.core.model.Online;
import dev.safemigrate.core.model.OrderItem;
import dev.safemigrate.core.model.TableName;
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
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@code mode: online} under concurrent writers ({@link OnlineWriters}) on {@code online_items}, whose key (grp, k)
 * has duplicates (ids above {@code distinct} repeat the key of id - distinct) and whose child table
 * {@code online_refs} points at survivors and losers: the constraint ends up present with no duplicate and no
 * dangling child, every committed write is there, every new duplicate was refused, children written at a loser
 * end at its survivor, and rows before + rows written = rows after + rows archived. A fault in a middle chunk
 * and a crash after a chunk put the data back as it was, plus what writers did.
 */
public abstract class OnlineKit extends OnlineKitSupport {
    /** The table of the writer test; more with -Dsafemigrate.online.rows (a benchmark, not the default suite). */
    private static final int ROWS = Integer.getInteger("safemigrate.online.rows", 200_000);
    /**
     * What a writer may wait beyond max_lock_ms: a chunk that outran its estimate, the guard's own lookups, and this
     * machine's 2 shared cores. Measured waits are printed; the assertion catches waits of the whole run's order.
     */
    static final long WAIT_SLACK_MS = 800;

    /** Starts {@code writers} once the guard is in place, and counts chunks. */
    private static RunListener startingAtGuard(OnlineWriters writers, boolean all, AtomicInteger chunks) {
        return new RunListener() {
            @Override
            public void phaseReached(String id, String phase) {
                if (phase.equals(RunListener.Phase.GUARDED)) {
                    writers.start(all);
                }
            }

            @Override
            public void chunkDone(String id, int chunk, int estimatedChunks, long rowsDone, long rowsTotal, Duration elapsed) {
                chunks.set(chunk);
            }
        };
    }


    @Test
    void concurrentWritersLoseNothingAndSlipInNoDuplicate() throws Exception {
        seed(ROWS);
        int distinct = distinct(ROWS);
        long before = count("SELECT COUNT(*) FROM online_items");
        OnlineWriters writers = new OnlineWriters(dataSource, ROWS, distinct);
        AtomicInteger chunks = new AtomicInteger();
        long started = System.nanoTime();
        MigrationReport report;
        try (writers) {
            report = safeMigrate(startingAtGuard(writers, true, chunks), UnaryOperator.identity())
                    .migrate(List.of(onlineMigration(new Online(MAX_LOCK, OptionalLong.empty(), Duration.ZERO))));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(report.migrations().get(0).outcome()).isEqualTo("applied");
        assertThat(report.migrations().get(0).strategy()).isEqualTo("online");
        assertThat(Fixture.constraintExists(dataSource, "uq_online_items_grp_k")).isTrue();
        assertThat(count("SELECT COUNT(*) FROM (SELECT grp, k FROM online_items GROUP BY grp, k HAVING COUNT(*) > 1) d")).isZero();
        assertThat(count("SELECT COUNT(*) FROM online_refs r WHERE NOT EXISTS (SELECT 1 FROM online_items i WHERE i.id = r.item_id)")).isZero();
        assertThat(writers.unexpected).isEmpty();
        assertThat(writers.freshFailures).isEmpty();
        assertThat(count("SELECT COUNT(*) FROM online_items WHERE id >= " + OnlineWriters.FRESH_IDS + " AND id < " + OnlineWriters.DUPLICATE_IDS))
                .isEqualTo(writers.freshInserted.get());
        assertThat(writers.duplicateAttempts.get()).isPositive();
        assertThat(writers.duplicatesNotRefused).isEmpty();
        assertThat(count("SELECT COUNT(*) FROM online_items WHERE id >= " + OnlineWriters.DUPLICATE_IDS)).isZero();
        for (Map<String, Object> child : Fixture.query(dataSource, "SELECT r.id, i.grp, i.k FROM online_refs r JOIN online_items i ON i.id = r.item_id"
                + " WHERE r.id >= " + OnlineWriters.CHILD_IDS)) {
            long loser = writers.childrenAtLosers.get(((Number) child.get("id")).longValue());
            long keyOf = loser - distinct;
            assertThat(List.of(((Number) child.get("grp")).longValue(), ((Number) child.get("k")).longValue()))
                    .as("child %s written at loser %s ends at the survivor of its key", child.get("id"), loser)
                    .containsExactly(keyOf % 1000, (keyOf % distinct) / 1000);
        }
        assertThat(count("SELECT COUNT(*) FROM online_refs WHERE id >= " + OnlineWriters.CHILD_IDS)).isEqualTo(writers.childrenAtLosers.size());
        for (long gone : writers.losersGone.subList(0, Math.min(50, writers.losersGone.size()))) {
            assertThat(count("SELECT COUNT(*) FROM online_items WHERE id = " + gone)).as("a child insert at %s failed: it was deleted", gone).isZero();
        }
        long after = count("SELECT COUNT(*) FROM online_items");
        long archived = archivedItems();
        assertThat(before + writers.freshInserted.get()).as("rows before + written = rows after + archived + deleted by writers")
                .isEqualTo(after + archived + writers.deleted.get());
        assertThat(archived).isPositive();
        assertNothingLeftBehind();
        MigrationReport.OnlineFigures figures = report.migrations().get(0).online().orElseThrow();
        System.out.printf("online run (%s): %,d rows, %s, %d chunks, %d lock retries, longest lock held %d ms; writers: %d fresh, %d duplicates"
                        + " refused, %d deleted, %d updated, %d children at losers (%d found theirs gone); longest writer wait %d ms (max_lock_ms %d)%n",
                getClass().getSimpleName(), ROWS, took, figures.chunks(), figures.retries(), figures.longestLock().toMillis(),
                writers.freshInserted.get(), writers.duplicateAttempts.get(), writers.deleted.get(), writers.updated.get(),
                writers.childrenAtLosers.size(), writers.losersGone.size(), writers.longestWaitMillis(), MAX_LOCK.toMillis());
        System.out.printf("  its history: %s%n", historyMessage("online_001_items"));
        assertThat(figures.chunks()).isEqualTo(chunks.get()).isGreaterThan(1);
        assertThat(writers.longestWaitMillis()).as("longest writer wait").isLessThan(MAX_LOCK.toMillis() + WAIT_SLACK_MS);
    }

    @Test
    void aFaultInAMiddleChunkPutsEveryChunkBack() throws Exception {
        seed(SMALL_ROWS);
        State before = originalRows();
        AtomicInteger deletes = new AtomicInteger();
        AtomicReference<String> failedAt = new AtomicReference<>();
        UnaryOperator<Connection> failThirdChunk = new StatementHook(sql -> {
            // Each chunk deletes its losers joined with its work table (which it then empties): the third is the third chunk's.
            if (sql != null && sql.startsWith("DELETE") && sql.contains("sm_online_") && !sql.matches("DELETE FROM .sm_online_.*")
                    && deletes.incrementAndGet() == 3) {
                failedAt.set(sql);
                throw new SQLException("injected failure in the third chunk");
            }
        });
        OnlineWriters writers = new OnlineWriters(dataSource, SMALL_ROWS, distinct(SMALL_ROWS));
        AtomicInteger chunks = new AtomicInteger();
        SafeMigrateException failure;
        try (writers) {
            failure = failure(ExitCode.FAILED_RESTORED, () -> safeMigrate(startingAtGuard(writers, false, chunks), failThirdChunk)
                    .migrate(List.of(inChunksOf300())));
        }

        assertThat(failedAt.get()).isNotNull();
        assertThat(chunks.get()).isEqualTo(2);
        assertThat(failure.getMessage()).contains("injected failure in the third chunk").contains("reversed from the archive")
                .contains("as it was before the run");
        assertThat(originalRows()).isEqualTo(before);
        assertThat(writers.unexpected).isEmpty();
        assertThat(count("SELECT COUNT(*) FROM online_items WHERE id >= " + OnlineWriters.FRESH_IDS)).isEqualTo(writers.freshInserted.get()).isPositive();
        assertThat(Fixture.constraintExists(dataSource, "uq_online_items_grp_k")).isFalse();
        assertThat(historyStatus("online_001_items")).isEqualTo("rolled_back");
        assertThat(archivedRowCount()).isZero();
        assertNothingLeftBehind();
    }

    /**
     * Killed after its third chunk: the guard outlives the process (a new duplicate is still refused), status shows the
     * position, and the next migrate of the same rules goes on at the next key group, without reversing anything.
     */
    @Test
    void migrateResumesAnInterruptedRunAtTheNextChunk() throws Exception {
        seed(SMALL_ROWS);
        Migration migration = inChunksOf300();
        try {
            crashingAfterChunk(3).migrate(List.of(migration));
        } catch (SimulatedCrash expected) {
            // the process "died" after its third chunk committed
        }
        String phase = safeMigrate().status(List.of(migration)).history().get(0).phase();
        assertThat(phase).matches("online_chunks:\\d+/\\d+");
        assertThat(count("SELECT COUNT(*) FROM online_items")).isEqualTo(SMALL_ROWS - 900);
        assertThatThrownBy(() -> Fixture.execute(dataSource, "INSERT INTO online_items (id, grp, k, payload) VALUES ("
                + OnlineWriters.DUPLICATE_IDS + ", 1, 0, 'duplicate after the crash')")).as("the guard outlives the process")
                .isInstanceOf(SQLException.class).hasMessageContaining("safemigrate is adding");
        MigrationPlan.Item planned = safeMigrate().plan(List.of(migration)).migrations().get(0);
        assertThat(planned.status()).isEqualTo("pending");
        assertThat(planned.strategyPlan()).singleElement().asString().contains("phase " + phase).contains("migrate resumes it")
                .contains("recover finishes it the same way");
        assertThat(count("SELECT COUNT(*) FROM online_items")).as("plan changed nothing").isEqualTo(SMALL_ROWS - 900);

        MigrationReport report = safeMigrate().migrate(List.of(migration));

        assertThat(report.recovered()).isEmpty();
        assertThat(report.migrations().get(0).online().orElseThrow().chunks()).as("chunks after the resumption").isEqualTo(4);
        assertThat(historyMessage(migration.id())).contains("resumed an interrupted run after key group " + phase.substring(phase.indexOf(':') + 1)
                .replace("/", " of ")).contains("had removed 900 duplicate row(s)");
        assertMigratedAsIfNeverInterrupted(report);
    }

    /**
     * A key guard dropped by hand while the run was dead: writers may have committed duplicates meanwhile, so the run is
     * not resumed but reversed (exit 1), and the data is as before.
     */
    @Test
    void aRunWhoseGuardWasDroppedWhileItWasDeadIsReversedNotResumed() throws Exception {
        seed(SMALL_ROWS);
        State before = originalRows();
        Migration migration = inChunksOf300();
        try {
            crashingAfterChunk(2).migrate(List.of(migration));
        } catch (SimulatedCrash expected) {
            // the process "died" after its second chunk committed
        }
        var dialect = detectedDialect();
        try (Connection connection = dataSource.getConnection()) {
            var catalog = dialect.catalog(connection);
            for (var trigger : catalog.triggers(catalog.table(TableName.parse("online_items")).orElseThrow())) {
                Fixture.execute(dataSource, "DROP TRIGGER " + trigger.name() + (dialect.name().equals("postgresql") ? " ON online_items" : ""));
            }
        }

        SafeMigrateException failure = failure(ExitCode.FAILED_RESTORED, () -> safeMigrate().migrate(List.of(migration)));

        assertThat(failure.getMessage()).contains("is gone, so writers may have committed duplicates since: it is not resumed");
        assertReversedAsBefore(before, migration);
    }

    /** {@code pause_ms} throttles: each pause comes between two chunks. */
    @Test
    void pauseMsWaitsBetweenChunks() throws Exception {
        seed(SMALL_ROWS);
        Duration pause = Duration.ofMillis(150);
        long started = System.nanoTime();

        MigrationReport report = safeMigrate().migrate(List.of(onlineMigration(new Online(MAX_LOCK, OptionalLong.of(300), pause))));

        Duration took = Duration.ofNanos(System.nanoTime() - started);
        int chunks = report.migrations().get(0).online().orElseThrow().chunks();
        assertThat(chunks).isEqualTo(7);
        assertThat(took).as("a run of %d chunks with pauses of %s", chunks, pause).isGreaterThanOrEqualTo(pause.multipliedBy(chunks - 1));
        assertThat(count("SELECT COUNT(*) FROM online_items")).isEqualTo(distinct(SMALL_ROWS));
    }

    @Test
    void migrateAfterACrashAfterTheLastChunkBuildsTheConstraint() throws Exception {
        seed(SMALL_ROWS);
        Migration migration = inChunksOf300();
        try {
            crashingAt(RunListener.Phase.CHUNKS_DONE).migrate(List.of(migration));
        } catch (SimulatedCrash expected) {
            // every chunk committed, the constraint not built yet
        }
        MigrationReport report = safeMigrate().migrate(List.of(migration));
        assertThat(report.recovered()).isEmpty();
        assertThat(report.migrations().get(0).online().orElseThrow().chunks()).isZero();
        assertThat(historyMessage(migration.id())).contains("resumed an interrupted run after its last chunk");
        assertMigratedAsIfNeverInterrupted(report);
    }

    /** Killed while its constraint was being added (PostgreSQL: the unique index built, not yet attached): migrate finishes it. */
    @Test
    void aCrashWhileAddingTheConstraintIsFinishedByMigrate() throws Exception {
        seed(SMALL_ROWS);
        Migration migration = inChunksOf300();
        interrupt(crashingAtTheConstraint(), migration);
        assertThat(Fixture.constraintExists(dataSource, "uq_online_items_grp_k")).isFalse();

        MigrationReport report = safeMigrate().migrate(List.of(migration));
        assertThat(report.recovered()).isEmpty();
        assertMigratedAsIfNeverInterrupted(report);
    }

    /** Killed while removing the guard and work tables once the constraint exists: migrate removes the rest. */
    @Test
    void aCrashWhileRemovingTheGuardIsFinishedByMigrate() throws Exception {
        seed(SMALL_ROWS);
        Migration migration = inChunksOf300();
        UnaryOperator<Connection> dieAtTheWorkTables = new StatementHook(sql -> {
            if (sql != null && sql.startsWith("DROP TABLE IF EXISTS") && sql.contains("sm_online_")) {
                throw new SimulatedCrash(sql);
            }
        });
        try {
            safeMigrate(new RunListener() { }, dieAtTheWorkTables).migrate(List.of(migration));
        } catch (SimulatedCrash expected) {
            // the constraint exists; the guard's removal had begun
        }
        assertThat(Fixture.constraintExists(dataSource, "uq_online_items_grp_k")).isTrue();
        assertThat(historyStatus(migration.id())).isEqualTo("in_progress");

        MigrationReport report = safeMigrate().migrate(List.of(migration));
        assertThat(report.recovered()).isEmpty();
        assertMigratedAsIfNeverInterrupted(report);
    }

    /**
     * With {@code max_lock_ms: 1} no chunk of 50 key groups can finish in time: its statement is stopped, the chunk rolled
     * back and tried again a quarter as big, down to the smallest chunk (10 groups), which is not stopped so the run goes on.
     */
    @Test
    void aChunkThatRunsPastMaxLockIsRolledBackAndTriedSmaller() throws Exception {
        seed(SMALL_ROWS);
        MigrationReport report = safeMigrate().migrate(List.of(onlineMigration(new Online(Duration.ofMillis(1), OptionalLong.empty(), Duration.ZERO))));
        String message = historyMessage("online_001_items");
        System.out.printf("online run with max_lock_ms 1 (%s): %s%n", getClass().getSimpleName(), message);
        assertThat(message).containsPattern("[1-9]\\d* chunk\\(s\\) that ran past max_lock_ms, were rolled back");
        assertMigratedAsIfNeverInterrupted(report);
    }

    /**
     * A chunk's commit holds its locks too and cannot be stopped, so its statements stop early enough to leave room
     * for it. Here every commit takes 120 ms and the third chunk stalls 200 ms once it has locked its rows
     * ({@code max_lock_ms} 300): it is rolled back and tried smaller, where it used to go on and commit at ~330 ms.
     */
    @Test
    void aChunkLeavesRoomForItsCommitWithinMaxLock() throws Exception {
        seed(SMALL_ROWS);
        Duration maxLock = Duration.ofMillis(300);
        AtomicInteger locked = new AtomicInteger();
        AtomicInteger stalls = new AtomicInteger();
        StatementHook stallOnce = new StatementHook(sql -> {
            if (sql != null && sql.contains(" FOR UPDATE")) {
                locked.incrementAndGet();
            } else if (locked.get() == 3 && stalls.getAndIncrement() == 0) {
                pause(Duration.ofMillis(200));
            }
        }).beforeCommit(sql -> pause(Duration.ofMillis(120)));

        MigrationReport report = safeMigrate(new RunListener() { }, stallOnce)
                .migrate(List.of(onlineMigration(new Online(maxLock, OptionalLong.empty(), Duration.ZERO))));

        Duration longest = report.migrations().get(0).online().orElseThrow().longestLock();
        System.out.printf("slow commits (%s): longest lock %d ms; %s%n", getClass().getSimpleName(), longest.toMillis(),
                historyMessage("online_001_items"));
        assertThat(stalls.get()).as("the stall happened").isPositive();
        assertThat(historyMessage("online_001_items")).containsPattern("[1-9]\\d* chunk\\(s\\) that ran past max_lock_ms, were rolled back");
        assertThat(longest).isLessThan(maxLock);
        assertMigratedAsIfNeverInterrupted(report);
    }

    private static void pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Where a foreign key guards every repointed column no child row can be written at a deleted row, so the late pass
     * numbers no archived row instead of scanning the archive for their children (14.8 s of a 20,000,000-row run).
     */
    @Test
    void theLatePassReadsNoArchivedRowWhereForeignKeysStopChildrenAtDeletedRows() throws Exception {
        seed(SMALL_ROWS);
        List<String> numbering = new java.util.concurrent.CopyOnWriteArrayList<>();
        StatementHook watch = new StatementHook(sql -> {
            if (sql != null && sql.startsWith("CREATE TABLE") && sql.contains("ROW_NUMBER() OVER (ORDER BY a.")) {
                numbering.add(sql);
            }
        });

        MigrationReport report = safeMigrate(new RunListener() { }, watch).migrate(List.of(inChunksOf300()));

        assertThat(numbering).as("the late pass's numbering").hasSize(1).allMatch(sql -> sql.endsWith("WHERE 1 = 0"));
        assertMigratedAsIfNeverInterrupted(report);
    }

    /**
     * Without a foreign key, child rows written at losers after their chunks deleted them (here: once the last chunk
     * committed, one at every loser) are moved to the survivors by the late pass, which goes through the archived rows
     * they point at in several short transactions (one staging copy each), not one over the whole archive.
     */
    @Test
    void theLatePassMovesChildrenWrittenAtDeletedRowsInShortTransactions() throws Exception {
        seed(SMALL_ROWS, false);
        int distinct = distinct(SMALL_ROWS);
        RunListener childrenAfterTheChunks = new RunListener() {
            @Override
            public void chunkDone(String id, int chunk, int estimatedChunks, long rowsDone, long rowsTotal, Duration elapsed) {
                if (rowsDone == rowsTotal) {
                    childAtEveryLoser(distinct);
                }
            }
        };
        AtomicInteger slices = new AtomicInteger();

        MigrationReport report = safeMigrate(childrenAfterTheChunks, lateSlices(slices))
                .migrate(List.of(onlineMigration(new Online(MAX_LOCK, OptionalLong.empty(), Duration.ZERO))));

        System.out.printf("late pass (%s): %d slices over %d children at archived rows; %s%n", getClass().getSimpleName(), slices.get(),
                SMALL_ROWS - distinct, historyMessage("online_001_items"));
        assertThat(report.migrations().get(0).outcome()).isEqualTo("applied");
        assertThat(count("SELECT COUNT(*) FROM online_refs WHERE note = 'late'")).isEqualTo(SMALL_ROWS - distinct);
        assertThat(count("SELECT COUNT(*) FROM online_refs WHERE note = 'late' AND item_id <> id - " + OnlineWriters.FRESH_IDS + " - " + distinct))
                .as("late children not at their loser's survivor").isZero();
        assertThat(count("SELECT COUNT(*) FROM online_refs r WHERE NOT EXISTS (SELECT 1 FROM online_items i WHERE i.id = r.item_id)")).isZero();
        assertThat(slices.get()).as("late pass transactions").isGreaterThan(3);
        assertThat(report.migrations().get(0).online().orElseThrow().longestLock().toMillis()).isLessThan(MAX_LOCK.toMillis() + WAIT_SLACK_MS);
        assertNothingLeftBehind();
    }

    /**
     * Where a foreign key keeps child rows from pointing at a deleted row, the late pass finds no archived row that a
     * child points at and runs no slice (it went through the whole archive, in slices, for nothing).
     */
    @Test
    void theLatePassRunsNoSliceWhereAForeignKeyKeepsChildrenFromDeletedRows() throws Exception {
        seed(SMALL_ROWS);
        AtomicInteger slices = new AtomicInteger();

        MigrationReport report = safeMigrate(lateSlices(slices))
                .migrate(List.of(onlineMigration(new Online(MAX_LOCK, OptionalLong.empty(), Duration.ZERO))));

        assertThat(report.migrations().get(0).outcome()).isEqualTo("applied");
        assertThat(slices.get()).as("late pass transactions").isZero();
        assertMigratedAsIfNeverInterrupted(report);
    }

    /**
     * Without a foreign key, child rows written at deleted losers while the constraint is being built (the guard still
     * holding) end at the survivors too: the late pass runs once the constraint exists. Run before it, it missed them.
     */
    @Test
    void childrenWrittenAtDeletedRowsWhileTheConstraintIsBuiltEndAtTheSurvivors() throws Exception {
        seed(SMALL_ROWS, false);
        int distinct = distinct(SMALL_ROWS);
        AtomicInteger written = new AtomicInteger();
        StatementHook childrenAtTheConstraint = new StatementHook(sql -> {
            boolean buildsIt = sql != null && sql.contains("uq_online_items_grp_k")
                    && (sql.startsWith("CREATE UNIQUE INDEX") || sql.startsWith("ALTER TABLE") && sql.contains("ADD CONSTRAINT"));
            if (buildsIt && written.getAndIncrement() == 0) {
                childAtEveryLoser(distinct);
            }
        });

        MigrationReport report = safeMigrate(new RunListener() { }, childrenAtTheConstraint)
                .migrate(List.of(onlineMigration(new Online(MAX_LOCK, OptionalLong.empty(), Duration.ZERO))));

        assertThat(written.get()).as("statements building the constraint").isPositive();
        assertThat(report.migrations().get(0).outcome()).isEqualTo("applied");
        assertThat(Fixture.constraintExists(dataSource, "uq_online_items_grp_k")).isTrue();
        assertThat(count("SELECT COUNT(*) FROM online_refs WHERE note = 'late'")).isEqualTo(SMALL_ROWS - distinct);
        assertThat(count("SELECT COUNT(*) FROM online_refs WHERE note = 'late' AND item_id <> id - " + OnlineWriters.FRESH_IDS + " - " + distinct))
                .as("late children not at their loser's survivor").isZero();
        assertThat(count("SELECT COUNT(*) FROM online_refs r WHERE NOT EXISTS (SELECT 1 FROM online_items i WHERE i.id = r.item_id)")).isZero();
        assertNothingLeftBehind();
    }

    /** A child row at each loser (ids distinct + 1 to SMALL_ROWS, all deleted by now), in one statement. */
    private void childAtEveryLoser(int distinct) {
        StringBuilder values = new StringBuilder();
        for (long loser = distinct + 1L; loser <= SMALL_ROWS; loser++) {
            values.append(values.length() == 0 ? "" : ", ").append("(").append(OnlineWriters.FRESH_IDS + loser).append(", ").append(loser).append(", 'late')");
        }
        try {
            Fixture.execute(dataSource, "INSERT INTO online_refs (id, item_id, note) VALUES " + values);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Counts the late pass's slices: each stages the archived rows of a range of numbers. */
    private static UnaryOperator<Connection> lateSlices(AtomicInteger slices) {
        return new StatementHook(sql -> {
            if (sql != null && sql.startsWith("INSERT") && sql.contains("sm_online_") && sql.contains(" n ON a.")) {
                slices.incrementAndGet();
            }
        });
    }

    /** A rules file changed since the interrupted run (another checksum) is not resumed: the run is reversed first, as any other is. */
    @Test
    void aChangedRulesFileIsNotResumedButRunAgainAfterTheReversal() throws Exception {
        seed(SMALL_ROWS);
        Migration migration = inChunksOf300();
        try {
            crashingAfterChunk(2).migrate(List.of(migration));
        } catch (SimulatedCrash expected) {
            // two chunks committed
        }
        Migration changed = new Migration(migration.id(), migration.description(), migration.checksum() + "-changed", migration.source(),
                migration.guards(), migration.steps(), List.of(), List.of()).inOnlineMode(new Online(MAX_LOCK, OptionalLong.of(500), Duration.ZERO));

        MigrationReport report = safeMigrate().migrate(List.of(changed));

        assertThat(report.recovered()).singleElement().asString().contains("reversed it from the archive").contains("(900 row(s) and value(s) restored, in ");
        assertThat(report.migrations().get(0).online().orElseThrow().chunks()).isEqualTo(4);
        assertThat(historyMessage(migration.id())).doesNotContain("resumed");
        assertMigratedAsIfNeverInterrupted(report);
    }

    /**
     * A writer's transaction left open on the table holds up the index build (PostgreSQL's CONCURRENTLY build waits
     * for it, which nobody queues behind; MariaDB's in-place ALTER tries for max_lock_ms at a time): other writers
     * never wait long, and the run goes on once the transaction ends.
     */
    @Test
    void aLongTransactionMakesTheRunRetryInShortTriesUntilItEnds() throws Exception {
        seed(SMALL_ROWS);
        OnlineWriters writers = new OnlineWriters(dataSource, SMALL_ROWS, distinct(SMALL_ROWS));
        MigrationReport report;
        try (Connection holder = dataSource.getConnection(); java.sql.Statement statement = holder.createStatement(); writers) {
            holder.setAutoCommit(false);
            statement.executeUpdate("UPDATE online_items SET payload = 'held' WHERE id = " + distinct(SMALL_ROWS) / 2);
            writers.start(false);
            java.util.concurrent.CompletableFuture<Void> release = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(3_000);
                    holder.commit();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            report = safeMigrate().migrate(List.of(onlineMigration(new Online(MAX_LOCK, OptionalLong.empty(), Duration.ZERO))));
            release.get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
        MigrationReport.OnlineFigures figures = report.migrations().get(0).online().orElseThrow();
        System.out.printf("online run behind a 3 s transaction (%s): %d lock retries, longest writer wait %d ms%n", getClass().getSimpleName(),
                figures.retries(), writers.longestWaitMillis());
        assertThat(report.migrations().get(0).outcome()).isEqualTo("applied");
        assertThat(writers.unexpected).isEmpty();
        assertThat(writers.freshFailures).isEmpty();
        assertThat(count("SELECT COUNT(*) FROM online_items WHERE payload = 'held'")).isEqualTo(1);
        assertThat(writers.longestWaitMillis()).as("longest writer wait").isLessThan(MAX_LOCK.toMillis() + WAIT_SLACK_MS);
        assertNothingLeftBehind();
    }

    @Test
    void undoPutsBackAFinishedOnlineRun() throws Exception {
        seed(SMALL_ROWS);
        State before = originalRows();
        Migration migration = inChunksOf300();
        safeMigrate().migrate(List.of(migration));
        assertThat(count("SELECT COUNT(*) FROM online_items")).isEqualTo(distinct(SMALL_ROWS));

        safeMigrate().undo(migration.id());

        assertThat(originalRows()).isEqualTo(before);
        assertThat(Fixture.constraintExists(dataSource, "uq_online_items_grp_k")).isFalse();
        assertThat(historyStatus(migration.id())).isEqualTo("undone");
        assertNothingLeftBehind();
    }

    @Test
    void planSaysWhatItWillDoAndRefusesWhatItCannot() throws Exception {
        seed(SMALL_ROWS);
        MigrationPlan plan = safeMigrate().plan(List.of(onlineMigration(new Online(MAX_LOCK, OptionalLong.of(500), Duration.ZERO))));
        MigrationPlan.Item item = plan.migrations().get(0);
        assertThat(item.strategy()).isEqualTo("online");
        assertThat(item.steps().get(0).estimate().rowsToDelete()).isEqualTo(SMALL_ROWS - distinct(SMALL_ROWS));
        assertThat(item.strategyPlan()).anyMatch(line -> line.contains("removes 2000 duplicate row(s) in about 4 chunk(s) of 500 row(s)"))
                .anyMatch(line -> line.contains("builds uq_online_items_grp_k while writers go on"));
        assertThat(item.otherStrategies()).anyMatch(note -> note.contains("could run it with mode: offline"));
        assertThat(Fixture.tables(dataSource)).noneMatch(t -> t.startsWith("sm_"));

        Migration withPostcondition = new Migration("online_002", "", "x", "kit", dev.safemigrate.core.model.Guards.DEFAULT,
                onlineMigration(Online.DEFAULT).steps(), List.of(), List.of(new dev.safemigrate.core.model.SqlCheck("SELECT 0", 
                dev.safemigrate.core.model.Expectation.exactly(0), "kit")), List.of()).inOnlineMode(Online.DEFAULT);
        SafeMigrateException refused = failure(ExitCode.REFUSED, () -> safeMigrate().plan(List.of(withPostcondition)));
        assertThat(refused.getMessage()).contains("mode: online is refused").contains("postconditions");

        Migration dedupeAlone = migration("online_003", onlineMigration(Online.DEFAULT).steps().get(0)).inOnlineMode(Online.DEFAULT);
        assertThat(failure(ExitCode.REFUSED, () -> safeMigrate().plan(List.of(dedupeAlone))).getMessage()).contains("mode: online is refused")
                .contains("online mode runs one dedupe followed by the add_unique of the same table and key").contains("this migration has [dedupe");

        DedupeStep dedupe = (DedupeStep) onlineMigration(Online.DEFAULT).steps().get(0);
        Migration deletingClashes = migration("online_004", new DedupeStep(dedupe.table(), dedupe.key(), dedupe.orderBy(), dedupe.nulls(), true,
                List.of(new Repoint(TableName.parse("online_refs"), "item_id", Repoint.OnConflict.DELETE))),
                onlineMigration(Online.DEFAULT).steps().get(1)).inOnlineMode(Online.DEFAULT);
        assertThat(failure(ExitCode.REFUSED, () -> safeMigrate().plan(List.of(deletingClashes))).getMessage()).contains("mode: online is refused")
                .contains("repoint with on_conflict: delete is not supported online");
        assertThat(Fixture.tables(dataSource)).noneMatch(t -> t.startsWith("sm_"));
    }

    /**
     * Another session creates an index on another table under the constraint's name while the chunks run. PostgreSQL keeps
     * index names per schema, so the constraint can no longer be made there: the run is reversed and exits 1 (it said 3,
     * "refused before any change", after putting back 2,000 deleted rows), and the other table's index stays (the reversal
     * dropped it, as if it were the constraint's index it never built). MariaDB keeps index names per table: the run
     * completes beside it.
     */
    @Test
    void anIndexThatTakesTheConstraintsNameOnAnotherTableMeanwhileIsLeftAlone() throws Exception {
        seed(SMALL_ROWS);
        State before = originalRows();
        AtomicInteger chunks = new AtomicInteger();
        RunListener takingTheName = new RunListener() {
            @Override
            public void phaseReached(String id, String phase) {
                if (phase.equals(RunListener.Phase.CHUNK_COMMITTED) && chunks.incrementAndGet() == 1) {
                    try {
                        Fixture.execute(dataSource, "CREATE INDEX uq_online_items_grp_k ON online_refs (note)");
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        };
        Migration migration = onlineMigration(new Online(MAX_LOCK, OptionalLong.of(500), Duration.ZERO));

        if (Flavor.of(dataSource) == Flavor.POSTGRES) {
            SafeMigrateException failure = failure(ExitCode.FAILED_RESTORED, () -> safeMigrate(takingTheName, UnaryOperator.identity())
                    .migrate(List.of(migration)));
            assertThat(failure.getMessage()).contains("the name uq_online_items_grp_k is already used by a non-unique index on online_refs (note)")
                    .contains("as it was before the run");
            assertReversedAsBefore(before, migration);
        } else {
            safeMigrate(takingTheName, UnaryOperator.identity()).migrate(List.of(migration));
            assertThat(Fixture.constraintExists(dataSource, "uq_online_items_grp_k")).isTrue();
        }
        assertThat(chunks.get()).isGreaterThan(1);
        // Fails where the index is gone.
        Fixture.execute(dataSource, "DROP INDEX uq_online_items_grp_k" + (Flavor.of(dataSource) == Flavor.MYSQL ? " ON online_refs" : ""));
    }

    /**
     * Removing the guard behind a writer's short transaction waits for it, up to max_lock_ms, instead of giving up at
     * once: MariaDB counts its DDL lock waits in whole seconds, so below one second the triggers' DROP did not wait at
     * all, and beside steady writers it failed every try until --lock-timeout (a CI run: 29 tries in 30 s).
     */
    @Test
    void aBriefLockWaitsUpToMaxLockMsForATransactionThatEndsSooner() throws Exception {
        seed(SMALL_ROWS);
        Duration maxLock = Duration.ofMillis(900);
        java.util.concurrent.atomic.AtomicReference<java.util.concurrent.CompletableFuture<Void>> released = new java.util.concurrent.atomic.AtomicReference<>();
        RunListener holdingAtConstraint = new RunListener() {
            @Override
            public void phaseReached(String id, String phase) {
                if (phase.equals(RunListener.Phase.CONSTRAINED)) {
                    released.set(holdFor(dataSource, "UPDATE online_items SET payload = 'held' WHERE id = 1", Duration.ofMillis(300)));
                }
            }
        };

        MigrationReport report = safeMigrate(holdingAtConstraint, UnaryOperator.identity())
                .migrate(List.of(onlineMigration(new Online(maxLock, OptionalLong.empty(), Duration.ZERO))));

        released.get().get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(report.migrations().get(0).outcome()).isEqualTo("applied");
        assertThat(report.migrations().get(0).online().orElseThrow().retries()).as("lock waits that ran out").isZero();
        assertThat(count("SELECT COUNT(*) FROM online_items WHERE payload = 'held'")).isEqualTo(1);
        assertNothingLeftBehind();
    }
}
