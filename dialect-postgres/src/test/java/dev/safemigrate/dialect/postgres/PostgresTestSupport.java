package dev.safemigrate.dialect.postgres;

import dev.safemigrate.core.RunListener;
import dev.safemigrate.core.SafeMigrate;
import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.kit.KitSupport;
import dev.safemigrate.core.kit.TestDatabase;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.model.NullsMode;
import dev.safemigrate.core.model.OrderItem;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.steps.AddUniqueStep;
import dev.safemigrate.core.steps.DedupeStep;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** PostgreSQL-only tests: a fresh schema per test, and a large table generated set-based on the server. */
abstract class PostgresTestSupport extends KitSupport {
    static final String BIG_UNIQUE = "uq_big_items_grp_k";

    @Override
    protected TestDatabase.Provider provider() {
        return PostgresDatabases.INSTANCE;
    }

    protected SafeMigrate safeMigrate(DataSource source, RunListener listener) {
        return SafeMigrate.builder().dataSource(source).lockTimeout(Duration.ofSeconds(30)).listener(listener).build();
    }

    /**
     * {@code big_items} with {@code rows} rows; the key (grp, k) has {@code distinctKeys} values (a multiple
     * of 1000), so ids above {@code distinctKeys} duplicate the key of id - distinctKeys.
     */
    protected void createBigTable(int rows, int distinctKeys) throws SQLException {
        Fixture.execute(dataSource,
                "CREATE TABLE big_items (id BIGINT PRIMARY KEY, grp INTEGER NOT NULL, k INTEGER NOT NULL, payload TEXT, created_at TIMESTAMPTZ)",
                "INSERT INTO big_items SELECT i, i % 1000, (i % " + distinctKeys + ") / 1000, 'payload ' || i,"
                        + " TIMESTAMPTZ '2025-01-01 00:00:00+00' + i * INTERVAL '1 second' FROM generate_series(1, " + rows + ") AS i",
                "ANALYZE big_items");
    }

    protected static Migration bigMigration(String id) {
        return migration(id, new DedupeStep(TableName.parse("big_items"), List.of("grp", "k"), List.of(OrderItem.asc("id")), NullsMode.DISTINCT,
                true, List.of()), new AddUniqueStep(TableName.parse("big_items"), BIG_UNIQUE, List.of("grp", "k"), null));
    }

    /** Row count and an order-independent hash of every row of {@code table}: equal means identical, row by row. */
    protected Map<String, Object> fingerprint(String table) throws SQLException {
        return Fixture.query(dataSource, "SELECT COUNT(*) AS n, SUM(hashtextextended(t::text, 0)) AS h FROM " + table + " t").get(0);
    }
}
