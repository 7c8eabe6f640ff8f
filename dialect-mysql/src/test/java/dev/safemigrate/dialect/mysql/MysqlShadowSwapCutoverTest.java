package dev.safemigrate.dialect.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import com.mysql.cj.jdbc.MysqlDataSource;
import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.SafeMigrate;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.kit.KitSupport;
import dev.safemigrate.core.kit.StatementHook;
import dev.safemigrate.core.kit.TestDatabase;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.model.NullsMode;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.steps.AddUniqueStep;
import dev.safemigrate.core.steps.DedupeStep;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shadow swap's cut-over ({@link Cutover}) when another session is in the way. The rename takes its tables' locks
 * in name order, so for a table whose name sorts after the copy's ({@code sm_archive_...}), here {@code tags}, it
 * queues on the copy first: a reader that asked for the table while the run held it (its transaction left open, as an
 * application's long transaction does) is granted the table when the run lets go, and the rename then waits for that
 * transaction to end. Past the lock timeout the run gives up and the table is as it was; an interrupted wait says the
 * outcome is not known yet, and recover settles it from the catalog. A failure while the rename waits behind the run's
 * own locks cancels it.
 */
class MysqlShadowSwapCutoverTest extends KitSupport {
    private static final String READ = "SELECT COUNT(*) FROM tags";
    private static final int ROWS = 100;
    private static final int NAMES = 70;
    private static final Migration TAGS = migration("my_tags", new DedupeStep(TableName.parse("tags"), List.of("name"), List.of(),
            NullsMode.DISTINCT, true, List.of(), true), new AddUniqueStep(TableName.parse("tags"), "uq_tags_name", List.of("name"), null));

    private Connection reader;
    private final CompletableFuture<Long> readerSaw = new CompletableFuture<>();

    @Override
    protected TestDatabase.Provider provider() {
        return MysqlDatabases.INSTANCE;
    }

    @BeforeEach
    void seedTags() throws SQLException {
        Fixture.execute(dataSource, "CREATE TABLE tags (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(20) NOT NULL)",
                "INSERT INTO tags (id, name) SELECT seq, CONCAT('tag ', seq % " + NAMES + ") FROM seq_1_to_" + ROWS);
        reader = dataSource.getConnection();
    }

    private List<Map<String, Object>> tags() throws SQLException {
        return Fixture.rows(dataSource, "tags", "id");
    }

    @AfterEach
    void endReader() throws SQLException {
        reader.close();
    }

    /**
     * Once the run holds its table locks (at its copy of the survivors), a reader in a transaction asks for the table
     * and queues behind the locks, ahead of the rename the run issues next; it keeps its transaction open.
     */
    private StatementHook readerQueuedBeforeTheRename() {
        AtomicInteger copies = new AtomicInteger();
        return new StatementHook(sql -> {
            if (sql != null && sql.startsWith("INSERT INTO `sm_archive") && copies.incrementAndGet() == 1) {
                CompletableFuture.runAsync(() -> {
                    try (Statement statement = reader.createStatement()) {
                        reader.setAutoCommit(false);
                        try (ResultSet rows = statement.executeQuery(READ)) {
                            rows.next();
                            readerSaw.complete(rows.getLong(1));
                        }
                    } catch (SQLException e) {
                        readerSaw.completeExceptionally(e);
                    }
                });
                awaitSessions("Waiting for table metadata lock", READ);
            }
        });
    }

    private SafeMigrate swap(StatementHook hook, Duration lockTimeout) {
        return SafeMigrate.builder().dataSource(dataSource).lockTimeout(lockTimeout).connectionDecorator(hook).build();
    }

    /** The rename waits for the reader's transaction past the lock timeout (3 s): the run gives up, nothing changed. */
    @Test
    void aRenameThatNeverGetsTheTableFromAnOpenReaderEndsAtTheLockTimeoutWithTheTableAsItWas() throws Exception {
        List<Map<String, Object>> before = tags();

        long start = System.nanoTime();
        String message = failure(ExitCode.FAILED_RESTORED, () -> swap(readerQueuedBeforeTheRename(), Duration.ofSeconds(3))
                .migrate(List.of(TAGS))).getMessage();
        long ms = (System.nanoTime() - start) / 1_000_000;

        assertThat(readerSaw.get(5, TimeUnit.SECONDS)).as("the reader was served first, the original table").isEqualTo(ROWS);
        assertThat(message).contains("the table swap's RENAME TABLE waited 3 s (--lock-timeout) for another session's lock on the tables,"
                + " such as an open transaction that read them, and was cancelled")
                .contains("Nothing was changed: tags was not swapped, and the copy was dropped");
        reader.commit();
        assertThat(tags()).isEqualTo(before);
        assertThat(archiveTables()).isEmpty();
        assertThat(Fixture.constraintExists(dataSource, "uq_tags_name")).isFalse();
        assertThat(historyStatus("my_tags")).isEqualTo("rolled_back");
        assertThat(renames()).as("no rename left queued").isZero();
        System.out.printf("shadow swap behind a reader's open transaction: exit 1 after %d ms (lock timeout 3 s): %s%n", ms, message);

        safeMigrate().migrate(List.of(TAGS));
        assertThat(tags()).hasSize(NAMES);
        assertThat(historyStatus("my_tags")).isEqualTo("applied");
    }

    /**
     * The rename was bounded only by the driver's query timeout, which cancels a statement through a new connection: for
     * a user at its max_user_connections there was none, so the rename stayed queued on the server behind the reader (and
     * ahead of the table's later readers and writers), and the run gave up on it only after three timeouts, with exit 5.
     * The server now ends it at the lock timeout itself: exit 1, the table as it was, no rename left.
     */
    @Test
    void aRenameTheDriverCannotCancelIsEndedByTheServerAtTheLockTimeout() throws Exception {
        List<Map<String, Object>> before = tags();
        String name = Fixture.query(dataSource, "SELECT DATABASE() AS d").get(0).get("d").toString();
        // The run's session and its cut-over connection, nothing to spare.
        Fixture.execute(dataSource, "CREATE USER sm_kit_cutover@'%' WITH MAX_USER_CONNECTIONS 2", "GRANT ALL ON `" + name + "`.* TO sm_kit_cutover@'%'");
        try {
            MysqlDataSource limited = new MysqlDataSource();
            limited.setURL(database.url());
            limited.setUser("sm_kit_cutover");
            limited.setPassword("");
            SafeMigrate run = SafeMigrate.builder().dataSource(limited).lockTimeout(Duration.ofSeconds(2)).connectionDecorator(readerQueuedBeforeTheRename())
                    .build();

            long start = System.nanoTime();
            String message = failure(ExitCode.FAILED_RESTORED, () -> run.migrate(List.of(TAGS))).getMessage();
            long ms = (System.nanoTime() - start) / 1_000_000;

            assertThat(message).contains("the table swap's RENAME TABLE waited 2 s (--lock-timeout) for another session's lock on the tables")
                    .contains("Nothing was changed: tags was not swapped, and the copy was dropped");
            assertThat(ms).isLessThan(8_000);
            assertThat(renames()).as("no rename left queued").isZero();
            reader.commit();
            assertThat(tags()).isEqualTo(before);
            assertThat(archiveTables()).isEmpty();
            assertThat(historyStatus("my_tags")).isEqualTo("rolled_back");
            System.out.printf("shadow swap whose rename the driver could not cancel: exit 1 after %d ms (lock timeout 2 s)%n", ms);
        } finally {
            Fixture.execute(dataSource, "DROP USER sm_kit_cutover@'%'");
        }
    }

    /**
     * The run's thread interrupted (an application shutting down) while the rename waits for the reader: whether the
     * swap will happen is not known, so exit 5 says so; the rename goes through once the reader ends, and recover
     * completes the run from the catalog.
     */
    @Test
    void anInterruptedWaitForTheRenameSaysTheSwapIsUnsettledAndRecoverCompletesItOnceTheRenameRan() throws Exception {
        List<Map<String, Object>> before = tags();
        CompletableFuture<Thread> runThread = new CompletableFuture<>();
        CompletableFuture<SafeMigrateException> outcome = CompletableFuture.supplyAsync(() -> {
            runThread.complete(Thread.currentThread());
            try {
                swap(readerQueuedBeforeTheRename(), Duration.ofSeconds(30)).migrate(List.of(TAGS));
                return null;
            } catch (SafeMigrateException e) {
                return e;
            } finally {
                Thread.interrupted();
            }
        });
        assertThat(readerSaw.get(30, TimeUnit.SECONDS)).as("the run let go of the table; the reader went first").isEqualTo(ROWS);
        awaitSessions("Waiting for table metadata lock", "/* safemigrate swap");

        runThread.get().interrupt();
        SafeMigrateException failure = outcome.get(30, TimeUnit.SECONDS);

        assertThat(failure).isNotNull();
        assertThat(failure.exitCode()).isEqualTo(ExitCode.INTERMEDIATE);
        assertThat(failure.getMessage()).contains("interrupted while waiting for the rename").contains("The history says in_progress")
                .contains("`safemigrate recover` completes the run if tags was swapped, and drops the copy if not");
        assertThat(historyStatus("my_tags")).isEqualTo("in_progress");
        assertThat(renames()).as("the rename still waits for the reader").isEqualTo(1);

        reader.commit();
        List<String> recovered = safeMigrate().recover();

        assertThat(recovered).singleElement().asString().contains("had swapped in the cleaned tags; marked applied");
        assertThat(historyStatus("my_tags")).isEqualTo("applied");
        assertThat(tags()).hasSize(NAMES);
        assertThat(Fixture.constraintExists(dataSource, "uq_tags_name")).isTrue();
        assertThat(archiveTables()).singleElement().satisfies(archive -> assertThat(Fixture.rows(dataSource, "`" + archive + "`", "id"))
                .isEqualTo(before));
    }

    /** The drop of the placeholder fails while the rename is queued behind the run's locks: it is cancelled before it could run. */
    @Test
    void aFailureWhileTheRenameWaitsBehindTheRunsLocksCancelsItAndLeavesTheTableAsItWas() throws Exception {
        List<Map<String, Object>> before = tags();
        AtomicInteger drops = new AtomicInteger();
        StatementHook failFirstArchiveDrop = new StatementHook(sql -> {
            if (sql != null && sql.startsWith("DROP TABLE `sm_archive") && drops.incrementAndGet() == 1) {
                throw new SQLException("injected failure of: " + sql);
            }
        });

        String message = failure(ExitCode.FAILED_RESTORED, () -> swap(failFirstArchiveDrop, Duration.ofSeconds(20))
                .migrate(List.of(TAGS))).getMessage();

        assertThat(message).contains("injected failure of: DROP TABLE `sm_archive")
                .contains("Nothing was changed: tags was not swapped, and the copy was dropped");
        assertThat(tags()).isEqualTo(before);
        assertThat(archiveTables()).isEmpty();
        assertThat(historyStatus("my_tags")).isEqualTo("rolled_back");
        assertThat(renames()).as("the rename was cancelled").isZero();
    }

    /** Sessions on this test's database running a statement that starts with {@code info}, in {@code state}. */
    private long sessions(String state, String info) throws SQLException {
        return Fixture.count(dataSource, "SELECT COUNT(*) FROM information_schema.processlist WHERE db = DATABASE() AND state = '" + state
                + "' AND info LIKE '" + info.replace("'", "''") + "%'");
    }

    /** Sessions on this test's database running the swap's rename. */
    private long renames() throws SQLException {
        return Fixture.count(dataSource, "SELECT COUNT(*) FROM information_schema.processlist WHERE db = DATABASE() AND info LIKE '/* safemigrate swap%'");
    }

    private void awaitSessions(String state, String info) throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (sessions(state, info) == 0) {
            assertThat(System.nanoTime()).as("a session running " + info + " in state " + state).isLessThan(deadline);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
