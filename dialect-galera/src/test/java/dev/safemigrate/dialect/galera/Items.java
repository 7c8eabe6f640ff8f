package dev.safemigrate.dialect.galera;

import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.kit.GaleraCluster;
import dev.safemigrate.core.model.Guards;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.model.NullsMode;
import dev.safemigrate.core.model.OrderItem;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.steps.AddUniqueStep;
import dev.safemigrate.core.steps.DedupeStep;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * The acceptance tests' table: {@code items (id, k, v)} with {@code rows} rows over {@code rows * 9 / 10} keys (one row in
 * ten duplicates the key of a lower id), and the migration that makes {@code k} unique, keeping the lowest id.
 */
final class Items {
    static final String UNIQUE = "uq_items_k";

    private Items() {
    }

    /** Creates and fills {@code items} in {@code database} through node 1, and returns node 1's data source. */
    static DataSource seeded(GaleraCluster.Database database, int rows) throws SQLException {
        DataSource one = GaleraDatabases.dataSource(database, 1);
        seed(one, rows);
        return one;
    }

    private static void seed(DataSource dataSource, int rows) throws SQLException {
        Fixture.execute(dataSource, "CREATE TABLE items (id BIGINT NOT NULL PRIMARY KEY, k INT NOT NULL, v VARCHAR(40) NOT NULL, KEY ix_items_k (k))"
                        + " ENGINE = InnoDB",
                "INSERT INTO items (id, k, v) SELECT seq, seq % " + keys(rows) + ", CONCAT('seed ', seq) FROM seq_1_to_" + rows);
    }

    static int keys(int rows) {
        return rows * 9 / 10;
    }

    static Migration migration(String id) {
        DedupeStep dedupe = new DedupeStep(TableName.parse("items"), List.of("k"), List.of(OrderItem.asc("id")), NullsMode.DISTINCT, true, List.of());
        AddUniqueStep unique = new AddUniqueStep(TableName.parse("items"), UNIQUE, List.of("k"), null);
        return new Migration(id, "items unique on k", "checksum-" + id, "test:" + id, Guards.DEFAULT, List.of(dedupe, unique), List.of(), List.of());
    }

    /** Rows, and a checksum of their contents, of {@code items}. */
    static String fingerprint(DataSource dataSource) throws SQLException {
        return Fixture.count(dataSource, "SELECT COUNT(*) FROM items") + " rows, checksum "
                + Fixture.count(dataSource, "SELECT COALESCE(SUM(CRC32(CONCAT_WS('|', id, k, v))), 0) FROM items");
    }

    static long duplicatedKeys(DataSource dataSource) throws SQLException {
        return Fixture.count(dataSource, "SELECT COUNT(*) FROM (SELECT k FROM items GROUP BY k HAVING COUNT(*) > 1) d");
    }
}
