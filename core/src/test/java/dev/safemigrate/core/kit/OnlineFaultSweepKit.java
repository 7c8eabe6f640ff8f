package dev.safemigrate.core.kit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.RunListener;
import dev.safemigrate.core.SafeMigrate;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.model.Online;
import dev.safemigrate.core.model.TableName;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Acceptance 3 of online mode: the N-th statement of a small online run in several chunks fails, for every N
 * ({@link Sweep}). Each run ends reversed, with the rows and the catalog as before (no guard trigger, no
 * {@code sm_online_*} work table, no index the run added, no constraint), or complete, identical to a clean run
 * (constraint present, no work object); no row is lost. The seed has key groups of 2 and of 3 rows and child rows
 * at losers and at survivors; chunks of {@value #BATCH_ROWS} losers make {@value #CHUNKS} chunks.
 *
 * <p>By default one statement in {@value #DEFAULT_EVERY} fails (the full sweep: 264 points on PostgreSQL and 210 on MariaDB since
 * 2026-11-30, 134 s and 119 s on a quiet 2-core machine; 293 and 221 before, 582 s and 546 s at load average 15 to 17);
 * {@code -Dsafemigrate.online.sweep.every=1} sweeps them all.
 */
public abstract class OnlineFaultSweepKit extends KitSupport {
    private static final int DEFAULT_EVERY = 3;
    private static final int EVERY = Integer.getInteger("safemigrate.online.sweep.every", DEFAULT_EVERY);
    /** Keys 1..KEYS, one row each; the first PAIRS keys get a second row, the first TRIPLES a third. */
    private static final int KEYS = 120;
    private static final int PAIRS = 40;
    private static final int TRIPLES = 15;
    private static final int LOSERS = PAIRS + TRIPLES;
    private static final int CHILDREN = 30;
    private static final int BATCH_ROWS = 10;
    private static final int CHUNKS = 6;

    /** {@code online_items} (key (grp, k)) with 40 groups of 2 or 3 rows, and {@code online_refs}: 20 children at losers, 10 at survivors. */
    private void seed() throws SQLException {
        List<String> items = new ArrayList<>();
        for (int id = 1; id <= KEYS + LOSERS; id++) {
            int key = id <= KEYS ? id : id <= KEYS + PAIRS ? id - KEYS : id - KEYS - PAIRS;
            items.add("(" + id + ", " + key % 12 + ", " + key / 12 + ", 'row " + id + "')");
        }
        List<String> refs = new ArrayList<>();
        for (int id = 1; id <= CHILDREN; id++) {
            // 1..10 at a pair's loser, 11..20 at a triple's losers (both of some), 21..30 at survivors.
            long item = id <= 10 ? KEYS + 3 * id : id <= 20 ? KEYS + PAIRS + id - 10 : id - 20;
            refs.add("(" + id + ", " + item + ", 'child " + id + "')");
        }
        Fixture.execute(dataSource,
                "CREATE TABLE online_items (id BIGINT NOT NULL PRIMARY KEY, grp INTEGER NOT NULL, k INTEGER NOT NULL, payload VARCHAR(100))",
                "CREATE TABLE online_refs (id BIGINT NOT NULL PRIMARY KEY, item_id BIGINT NOT NULL, note VARCHAR(50),"
                        + " CONSTRAINT fk_refs_item FOREIGN KEY (item_id) REFERENCES online_items (id))",
                "CREATE INDEX ix_refs_item ON online_refs (item_id)",
                "INSERT INTO online_items (id, grp, k, payload) VALUES " + String.join(", ", items),
                "INSERT INTO online_refs (id, item_id, note) VALUES " + String.join(", ", refs));
    }

    private static Migration sweptMigration() {
        return OnlineKit.onlineMigration(new Online(Duration.ofMillis(200), OptionalLong.of(BATCH_ROWS), Duration.ZERO));
    }

    /** The rows, and every object a run could leave behind: the constraint, triggers, work tables, indexes. */
    private record State(List<Map<String, Object>> items, List<Map<String, Object>> refs, boolean constraint, List<String> triggers,
                         List<String> workTables, TreeSet<String> indexes) {
    }

    private State state() throws SQLException {
        var catalog = detectedDialect();
        List<String> triggers;
        TreeSet<String> indexes = new TreeSet<>();
        try (Connection connection = dataSource.getConnection()) {
            var tables = catalog.catalog(connection);
            triggers = tables.triggers(tables.table(TableName.parse("online_items")).orElseThrow()).stream().map(Object::toString).toList();
            for (String table : List.of("online_items", "online_refs")) {
                indexes.addAll(indexNames(connection, table));
            }
        }
        return new State(Fixture.rows(dataSource, "online_items", "id"), Fixture.rows(dataSource, "online_refs", "id"),
                Fixture.constraintExists(dataSource, "uq_online_items_grp_k"), triggers,
                Fixture.tables(dataSource).stream().filter(t -> t.startsWith("sm_online_")).toList(), indexes);
    }

    /** Index names on {@code table} from the driver's metadata (PostgreSQL's lists an invalid index too). */
    private static List<String> indexNames(Connection connection, String table) throws SQLException {
        boolean mysql = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).matches(".*(mysql|mariadb).*");
        List<String> names = new ArrayList<>();
        try (ResultSet rs = connection.getMetaData().getIndexInfo(mysql ? connection.getCatalog() : null, mysql ? null : connection.getSchema(),
                table, false, false)) {
            while (rs.next()) {
                if (rs.getString("INDEX_NAME") != null) {
                    names.add(table + "." + rs.getString("INDEX_NAME").toLowerCase(Locale.ROOT));
                }
            }
        }
        return names;
    }

    private interface Read<T> {
        T get() throws SQLException;
    }

    private static <T> T unchecked(Read<T> read) {
        try {
            return read.get();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyStatementFailingLeavesTheRunReversedOrComplete() throws Exception {
        seed();
        State before = state();
        AtomicReference<State> guarded = new AtomicReference<>();
        var clean = configure(SafeMigrate.builder().dataSource(dataSource).listener(new RunListener() {
            @Override
            public void phaseReached(String id, String phase) {
                if (phase.equals(RunListener.Phase.GUARDED)) {
                    guarded.set(unchecked(OnlineFaultSweepKit.this::state));
                }
            }
        })).build().migrate(List.of(sweptMigration())).migrations().get(0);
        assertThat(clean.online().orElseThrow().chunks()).as("chunks of a clean run").isEqualTo(CHUNKS);
        // The state sees what a run puts in place, so a reversed run that left any of it would differ from before.
        assertThat(guarded.get().triggers()).isNotEmpty();
        assertThat(guarded.get().workTables()).isNotEmpty();
        assertThat(guarded.get().indexes()).hasSizeGreaterThan(before.indexes().size());
        freshDatabase("online_sweep");
        long started = System.nanoTime();
        Sweep.Figures figures = Sweep.run(this, sweptMigration(), this::seed, this::state,
                () -> Fixture.count(dataSource, "SELECT COUNT(*) FROM online_items") + Fixture.count(dataSource, "SELECT COUNT(*) FROM online_refs")
                        + archived("online_items").size(), EVERY);
        System.out.println(figures.line(getClass().getSimpleName()) + String.format(" (one statement in %d), %d s", EVERY,
                Duration.ofNanos(System.nanoTime() - started).toSeconds()));
        assertThat(figures.restored()).isPositive();
        assertThat(figures.completed()).isPositive();
    }
}
