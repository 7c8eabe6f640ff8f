package dev.safemigrate.dialect.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.RunListener;
import dev.safemigrate.core.SafeMigrate;
import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.kit.KitSupport;
import dev.safemigrate.core.kit.TestDatabase;
import dev.safemigrate.core.model.NullsMode;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.steps.AddUniqueStep;
import dev.safemigrate.core.steps.DedupeStep;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A writer that starts while a compensating run is inside its data transaction
 * waits (LOCK TABLES) until the run has committed its data and added the constraint; afterwards the
 * constraint holds and no committed row is lost. Table size: {@code -Dsafemigrate.mysql.writerRows}
 * (default 1,000,000).
 */
class MysqlConcurrentWriterTest extends KitSupport {
    private static final int ROWS = Integer.getInteger("safemigrate.mysql.writerRows", 1_000_000);
    private static final int DUPLICATE_EVERY = 10;

    @Override
    protected TestDatabase.Provider provider() {
        return MysqlDatabases.INSTANCE;
    }

    @Test
    void writerWaitsForTheWholeRunAndNoCommittedRowIsLost() throws Exception {
        long seedStart = System.nanoTime();
        Fixture.execute(dataSource, "CREATE TABLE events (id BIGINT PRIMARY KEY, account INT NOT NULL, seq INT NOT NULL, payload VARCHAR(40))",
                "CREATE TABLE digits (d INT PRIMARY KEY)",
                "INSERT INTO digits VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)",
                // Row i copies the key of row i - 1 for every tenth i: ROWS / 10 duplicates.
                "INSERT INTO events (id, account, seq, payload) SELECT i, (CASE WHEN MOD(i, " + DUPLICATE_EVERY + ") = 0 THEN i - 1 ELSE i END) DIV 1000,"
                        + " MOD(CASE WHEN MOD(i, " + DUPLICATE_EVERY + ") = 0 THEN i - 1 ELSE i END, 1000), CONCAT('payload ', i)"
                        + " FROM (SELECT 1 + a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d + 100000 * g.d AS i"
                        + " FROM digits a, digits b, digits c, digits e, digits f, digits g) n WHERE i <= " + ROWS,
                "DROP TABLE digits");
        long seedMillis = (System.nanoTime() - seedStart) / 1_000_000;
        long before = Fixture.count(dataSource, "SELECT COUNT(*) FROM events");
        assertThat(before).isEqualTo(ROWS);

        AtomicReference<CompletableFuture<Long>> writer = new AtomicReference<>();
        AtomicLong writerStarted = new AtomicLong();
        AtomicLong waitingSeen = new AtomicLong();
        RunListener listener = new RunListener() {
            @Override
            public void phaseReached(String id, String phase) {
                if (RunListener.Phase.DML_APPLIED.equals(phase)) {
                    writerStarted.set(System.nanoTime());
                    writer.set(CompletableFuture.supplyAsync(() -> insert("INSERT INTO events (id, account, seq, payload) VALUES ("
                            + (ROWS + 1) + ", -1, 0, 'written during the run')")));
                } else if (RunListener.Phase.BETWEEN_PHASES.equals(phase)) {
                    waitingSeen.set(waitingSessions());
                    assertThat(writer.get()).as("the writer must still be waiting after the data commit").isNotDone();
                }
            }
        };
        SafeMigrate safeMigrate = SafeMigrate.builder().dataSource(dataSource).lockTimeout(Duration.ofSeconds(60)).listener(listener).build();
        var dedupe = new DedupeStep(TableName.parse("events"), List.of("account", "seq"), List.of(), NullsMode.DISTINCT, true, List.of());
        var unique = new AddUniqueStep(TableName.parse("events"), "uq_events_account_seq", List.of("account", "seq"), null);

        long runStart = System.nanoTime();
        safeMigrate.migrate(List.of(migration("my_writer", dedupe, unique)));
        long runEnd = System.nanoTime();
        long writerEnd = writer.get().get(60, TimeUnit.SECONDS);

        long after = Fixture.count(dataSource, "SELECT COUNT(*) FROM events");
        long archived = archivedRowCount();
        System.out.printf("concurrent writer: %d rows seeded in %d ms; run %d ms; writer waited %d ms (%d session(s) seen waiting),"
                        + " finished %d ms after the run; %d rows after + %d archived = %d before + 1 written%n",
                ROWS, seedMillis, (runEnd - runStart) / 1_000_000, (writerEnd - writerStarted.get()) / 1_000_000, waitingSeen.get(),
                (writerEnd - runEnd) / 1_000_000, after, archived, before);
        assertThat(waitingSeen.get()).isPositive();
        assertThat(writerEnd).isGreaterThanOrEqualTo(runEnd - 50_000_000L);
        assertThat(archived).isEqualTo(ROWS / DUPLICATE_EVERY);
        assertThat(after + archived).isEqualTo(before + 1);
        assertThat(Fixture.count(dataSource, "SELECT COUNT(*) FROM events WHERE id = " + (ROWS + 1))).isEqualTo(1);
        assertThat(Fixture.constraintExists(dataSource, "uq_events_account_seq")).isTrue();
        assertThat(Fixture.count(dataSource, "SELECT COUNT(*) FROM (SELECT account, seq FROM events GROUP BY account, seq HAVING COUNT(*) > 1) d")).isZero();
    }

    private long insert(String sql) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
            return System.nanoTime();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sessions of this database waiting for a table lock, as the server's process list shows them. */
    private long waitingSessions() {
        try {
            return Fixture.count(dataSource, "SELECT COUNT(*) FROM information_schema.processlist WHERE db = DATABASE()"
                    + " AND state LIKE 'Waiting for table%'");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
