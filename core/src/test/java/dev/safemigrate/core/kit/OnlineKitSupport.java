package dev.safemigrate.core.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safemigrate.core.MigrationReport;
import dev.safemigrate.core.RunListener;
import dev.safemigrate.core.SafeMigrate;
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
import java.util.function.UnaryOperator;

/**
 * What the online kits share: {@code online_items}, whose key (grp, k) has duplicates (ids above {@code distinct} repeat
 * the key of id - distinct), and its child table {@code online_refs} pointing at survivors and losers; the online
 * migration of them; and what an uninterrupted run of it leaves.
 */
abstract class OnlineKitSupport extends KitSupport {
    static final int SMALL_ROWS = 20_000;
    static final Duration MAX_LOCK = Duration.ofMillis(200);

    static int distinct(int rows) {
        return rows / 10 * 9;
    }

    /** {@code online_items} with {@code rows} rows and {@code online_refs}: children 1..n/2 at losers, the rest at survivors. */
    protected void seed(int rows) throws SQLException {
        seed(rows, true);
    }

    /** As {@link #seed(int)}; without {@code foreignKey}, nothing stops a child row from pointing at a deleted row. */
    void seed(int rows, boolean foreignKey) throws SQLException {
        seed(dataSource, rows, foreignKey);
    }

    /** {@code online_items} with {@code rows} rows and {@code online_refs} in {@code dataSource} (see {@link #seed(int)}). */
    static void seed(javax.sql.DataSource dataSource, int rows, boolean foreignKey) throws SQLException {
        int distinct = distinct(rows);
        int children = Math.min(20_000, (rows - distinct));
        Fixture.execute(dataSource,
                "CREATE TABLE online_items (id BIGINT NOT NULL PRIMARY KEY, grp INTEGER NOT NULL, k INTEGER NOT NULL, payload VARCHAR(100))",
                "CREATE TABLE online_refs (id BIGINT NOT NULL PRIMARY KEY, item_id BIGINT NOT NULL, note VARCHAR(50)"
                        + (foreignKey ? ", CONSTRAINT fk_refs_item FOREIGN KEY (item_id) REFERENCES online_items (id))" : ")"),
                "CREATE INDEX ix_refs_item ON online_refs (item_id)",
                "CREATE TABLE digits (d INTEGER NOT NULL PRIMARY KEY)",
                "INSERT INTO digits (d) VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)",
                "INSERT INTO online_items (id, grp, k, payload) SELECT n, MOD(n, 1000), FLOOR(MOD(n, " + distinct + ") / 1000), CONCAT('row ', n)"
                        + " FROM (SELECT a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d + 100000 * g.d + 1 AS n FROM digits a, digits b,"
                        + " digits c, digits e, digits f, digits g) x WHERE n <= " + rows,
                "INSERT INTO online_refs (id, item_id, note) SELECT id, CASE WHEN id <= " + children / 2 + " THEN " + distinct + " + id ELSE id END,"
                        + " 'seeded' FROM online_items WHERE id <= " + children,
                "DROP TABLE digits");
    }

    protected static Migration onlineMigration(Online options) {
        return migration("online_001_items", new DedupeStep(TableName.parse("online_items"), List.of("grp", "k"), List.of(OrderItem.asc("id")),
                NullsMode.DISTINCT, true, List.of(new Repoint(TableName.parse("online_refs"), "item_id", Repoint.OnConflict.FAIL))),
                new AddUniqueStep(TableName.parse("online_items"), "uq_online_items_grp_k", List.of("grp", "k"), null)).inOnlineMode(options);
    }

    /** The small table's migration in fixed chunks of 300 rows: about 7 chunks. */
    static Migration inChunksOf300() {
        return onlineMigration(new Online(MAX_LOCK, OptionalLong.of(300), Duration.ZERO));
    }

    long count(String sql) throws SQLException {
        return Fixture.count(dataSource, sql);
    }

    long archivedItems() throws SQLException {
        long total = 0;
        for (String table : archiveTables()) {
            if (table.toLowerCase(java.util.Locale.ROOT).endsWith("_online_items")) {
                total += count("SELECT COUNT(*) FROM " + table);
            }
        }
        return total;
    }

    /** No guard, trigger or work table is left on the table. */
    void assertNothingLeftBehind() throws SQLException {
        assertNothingLeftBehind(this);
    }

    /** As {@link #assertNothingLeftBehind()}, for another kit's database. */
    static void assertNothingLeftBehind(KitSupport kit) throws SQLException {
        assertThat(Fixture.tables(kit.dataSource)).noneMatch(t -> t.startsWith("sm_online_"));
        var dialect = kit.detectedDialect();
        try (Connection connection = kit.dataSource.getConnection()) {
            var catalog = dialect.catalog(connection);
            assertThat(catalog.triggers(catalog.table(TableName.parse("online_items")).orElseThrow())).isEmpty();
        }
    }

    SafeMigrate safeMigrate(RunListener listener, UnaryOperator<Connection> decorator) {
        return configure(SafeMigrate.builder().dataSource(dataSource).lockTimeout(Duration.ofSeconds(30)).listener(listener)
                .connectionDecorator(decorator)).build();
    }

    record State(List<Map<String, Object>> items, List<Map<String, Object>> refs) {
    }

    State originalRows() throws SQLException {
        return new State(Fixture.rows(dataSource, "online_items WHERE id < " + OnlineWriters.FRESH_IDS, "id"),
                Fixture.rows(dataSource, "online_refs", "id"));
    }

    String historyMessage(String id) throws SQLException {
        return (String) Fixture.query(dataSource, "SELECT message FROM safemigrate_history WHERE id = '" + id + "'").get(0).get("message");
    }

    /** A run that dies ({@link SimulatedCrash}) once its {@code chunk}-th chunk committed. */
    SafeMigrate crashingAfterChunk(int chunk) {
        return safeMigrate(new RunListener() {
            @Override
            public void chunkDone(String id, int done, int estimatedChunks, long rowsDone, long rowsTotal, Duration elapsed) {
                if (done == chunk) {
                    throw new SimulatedCrash("chunk " + chunk);
                }
            }
        }, UnaryOperator.identity());
    }

    /** A run that dies at the statement adding the constraint (PostgreSQL: the unique index built, not yet attached); phase online_constraint. */
    SafeMigrate crashingAtTheConstraint() {
        return safeMigrate(new RunListener() { }, new StatementHook(sql -> {
            if (sql != null && sql.startsWith("ALTER TABLE") && sql.contains("ADD CONSTRAINT")) {
                throw new SimulatedCrash(sql);
            }
        }));
    }

    /** Runs {@code migration} with {@code crashing}, which dies on the way as a killed process would: nothing reverses anything. */
    static void interrupt(SafeMigrate crashing, Migration migration) {
        assertThatThrownBy(() -> crashing.migrate(List.of(migration))).isInstanceOf(SimulatedCrash.class);
    }

    /** {@link #assertDataAsIfNeverInterrupted}, and the report's counts cover the whole run. */
    void assertMigratedAsIfNeverInterrupted(MigrationReport report) throws SQLException {
        int distinct = distinct(SMALL_ROWS);
        assertThat(report.migrations().get(0).outcome()).isEqualTo("applied");
        assertThat(report.migrations().get(0).steps().get(0).outcome().deleted()).as("rows deleted over the whole run").isEqualTo(SMALL_ROWS - distinct);
        assertThat(report.migrations().get(0).steps().get(0).outcome().updated()).as("children repointed over the whole run")
                .isEqualTo(seededChildren() / 2);
        assertDataAsIfNeverInterrupted();
    }

    private static int seededChildren() {
        return Math.min(20_000, SMALL_ROWS - distinct(SMALL_ROWS));
    }

    /**
     * The small table migrated as an uninterrupted run leaves it: the lowest id of each key survives unchanged, every
     * seeded child points at the survivor of its item's key (child i at its own id), each loser archived exactly once as it
     * was, and the before-images of the children that pointed at losers archived once each; no guard or work table left.
     */
    void assertDataAsIfNeverInterrupted() throws SQLException {
        int distinct = distinct(SMALL_ROWS);
        int children = seededChildren();
        assertThat(Fixture.constraintExists(dataSource, "uq_online_items_grp_k")).isTrue();
        assertThat(count("SELECT COUNT(*) FROM online_items")).isEqualTo(distinct);
        assertThat(count("SELECT COUNT(*) FROM online_items WHERE id <= " + distinct + " AND payload = CONCAT('row ', id)")).isEqualTo(distinct);
        assertThat(count("SELECT COUNT(*) FROM online_refs")).isEqualTo(children);
        assertThat(count("SELECT COUNT(*) FROM online_refs WHERE item_id <> id")).isZero();
        assertThat(archivedItems()).isEqualTo(SMALL_ROWS - distinct);
        String deleted = archiveTable("_online_items");
        assertThat(count("SELECT COUNT(DISTINCT id) FROM " + deleted + " WHERE id > " + distinct + " AND grp = MOD(id, 1000)"
                + " AND payload = CONCAT('row ', id)")).as("losers archived as they were").isEqualTo(SMALL_ROWS - distinct);
        String repointed = archiveTable("_online_refs");
        assertThat(count("SELECT COUNT(*) FROM " + repointed)).as("children's before-images").isEqualTo(children / 2);
        assertThat(count("SELECT COUNT(DISTINCT id) FROM " + repointed + " WHERE item_id = id + " + distinct)).isEqualTo(children / 2);
        assertThat(historyStatus("online_001_items")).isEqualTo("applied");
        assertNothingLeftBehind();
    }

    private String archiveTable(String suffix) throws SQLException {
        return archiveTables().stream().filter(t -> t.toLowerCase(java.util.Locale.ROOT).endsWith(suffix)).findFirst().orElseThrow();
    }

    /**
     * Runs {@code update} in a transaction of its own on another connection and commits it after {@code hold}; returns
     * once the update holds its row (and the table), with what completes at the commit.
     */
    static java.util.concurrent.CompletableFuture<Void> holdFor(javax.sql.DataSource dataSource, String update, Duration hold) {
        java.util.concurrent.CompletableFuture<Void> released = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CompletableFuture.runAsync(() -> {
            try (Connection holder = dataSource.getConnection(); java.sql.Statement statement = holder.createStatement()) {
                holder.setAutoCommit(false);
                statement.executeUpdate(update);
                holding.countDown();
                Thread.sleep(hold.toMillis());
                holder.commit();
                released.complete(null);
            } catch (Exception e) {
                holding.countDown();
                released.completeExceptionally(e);
            }
        });
        try {
            holding.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return released;
    }

    /** The run of {@code migration} was reversed: the rows are {@code before}, its history says rolled back, nothing of it is left. */
    void assertReversedAsBefore(State before, Migration migration) throws SQLException {
        assertThat(originalRows()).isEqualTo(before);
        assertThat(historyStatus(migration.id())).isEqualTo("rolled_back");
        assertNothingLeftBehind();
    }
}
