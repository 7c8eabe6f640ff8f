package dev.safemigrate.dialect.galera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.SafeMigrate;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.kit.GaleraCluster;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A table of the user's under the lease table's name got a takeover_seconds column added (DDL, replicated to every node)
 * and a row inserted before the run failed on it with a raw "Unknown column 'owner'" (exit 1): now it is refused before
 * anything is changed (exit 3), saying the name is taken and what to do.
 */
class GaleraLeaseTableTest {
    @Test
    void aUserTableUnderTheLeaseTablesNameIsRefusedAndLeftAsItWasInsteadOfAlteredAndWrittenTo() throws Exception {
        try (GaleraCluster.Database db = GaleraCluster.get().createDatabase("sm_galera_lease_name_taken")) {
            DataSource one = Items.seeded(db, 1_000);
            DataSource two = GaleraDatabases.dataSource(db, 2);
            Fixture.execute(one, "CREATE TABLE safemigrate_lease (name VARCHAR(20) NOT NULL PRIMARY KEY, note VARCHAR(20)) ENGINE = InnoDB",
                    "INSERT INTO safemigrate_lease (name, note) VALUES ('mine', 'kept')");
            String before = Items.fingerprint(one);

            SafeMigrateException refused = catchThrowableOfType(SafeMigrateException.class, () -> SafeMigrate.builder().dataSource(one)
                    .lockTimeout(Duration.ofSeconds(5)).build().migrate(List.of(Items.migration("name_taken_001"))));

            assertThat(refused.exitCode()).isEqualTo(ExitCode.REFUSED);
            assertThat(refused.getMessage()).contains("the table safemigrate_lease is not safemigrate's").contains("the cluster's run lock")
                    .contains("this one has name, note (no owner, beat, taken_at)").contains("Nothing was changed; rename that table");
            assertThat(Fixture.query(two, "SELECT * FROM safemigrate_lease")).singleElement()
                    .satisfies(r -> assertThat(r).containsOnlyKeys("name", "note").containsEntry("name", "mine").containsEntry("note", "kept"));
            assertThat(Items.fingerprint(two)).isEqualTo(before);
            assertThat(Fixture.constraintExists(two, Items.UNIQUE)).isFalse();
        }
    }

    /** A lease table made before takeover_seconds existed (an earlier safemigrate) gets the column, and the run goes on. */
    @Test
    void aLeaseTableFromBeforeTheTakeoverSettingGetsItAndTheRunApplies() throws Exception {
        try (GaleraCluster.Database db = GaleraCluster.get().createDatabase("sm_galera_lease_upgrade")) {
            DataSource one = Items.seeded(db, 1_000);
            DataSource two = GaleraDatabases.dataSource(db, 2);
            Fixture.execute(one, "CREATE TABLE safemigrate_lease (name VARCHAR(64) NOT NULL PRIMARY KEY, owner VARCHAR(200) NULL,"
                    + " beat BIGINT NOT NULL DEFAULT 0, taken_at TIMESTAMP(6) NULL) ENGINE = InnoDB", "INSERT INTO safemigrate_lease (name, beat) VALUES ('run', 7)");

            String outcome = SafeMigrate.builder().dataSource(one).lockTimeout(Duration.ofSeconds(30)).build().migrate(List.of(Items.migration("upgrade_001")))
                    .migrations().get(0).outcome();

            assertThat(outcome).isEqualTo("applied");
            assertThat(Fixture.query(two, "SELECT owner, beat, takeover_seconds FROM safemigrate_lease")).singleElement().satisfies(r -> {
                assertThat(r.get("owner")).as("freed").isNull();
                assertThat(((Number) r.get("beat")).longValue()).as("taken once").isGreaterThan(7);
                assertThat(((Number) r.get("takeover_seconds")).longValue()).isEqualTo(GaleraLease.LEASE.toSeconds());
            });
            assertThat(Items.duplicatedKeys(two)).isZero();
        }
    }
}
