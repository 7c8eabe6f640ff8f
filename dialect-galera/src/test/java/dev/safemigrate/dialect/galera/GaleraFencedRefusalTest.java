package dev.safemigrate.dialect.galera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.SafeMigrate;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.kit.GaleraCluster;
import dev.safemigrate.core.model.Guards;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.steps.AddUniqueStep;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** What the fenced strategy refuses before any change: a table Galera cannot certify row by row. */
class GaleraFencedRefusalTest {
    /** An add_unique alone (no dedupe, which needs a primary key itself) on a table without one: Galera applies rows by their key. */
    @Test
    void aTableWithoutAPrimaryKeyIsRefusedBeforeAnyChange() throws Exception {
        try (GaleraCluster.Database db = GaleraCluster.get().createDatabase("sm_galera_no_primary_key")) {
            DataSource one = GaleraDatabases.dataSource(db, 1);
            DataSource two = GaleraDatabases.dataSource(db, 2);
            Fixture.execute(one, "CREATE TABLE codes (code INT NOT NULL, note VARCHAR(10)) ENGINE = InnoDB",
                    "INSERT INTO codes (code, note) VALUES (1, 'a'), (2, 'b')");
            Migration unique = new Migration("codes_001", "codes unique", "checksum-codes_001", "test:codes_001", Guards.DEFAULT,
                    List.of(new AddUniqueStep(TableName.parse("codes"), "uq_codes_code", List.of("code"), null)), List.of(), List.of());

            SafeMigrateException refused = catchThrowableOfType(SafeMigrateException.class,
                    () -> SafeMigrate.builder().dataSource(one).lockTimeout(Duration.ofSeconds(30)).build().migrate(List.of(unique)));

            assertThat(refused.exitCode()).as(refused.getMessage()).isEqualTo(ExitCode.REFUSED);
            assertThat(refused.getMessage()).contains("codes has no primary key (Galera certifies and applies rows by their key)");
            assertThat(Fixture.constraintExists(two, "uq_codes_code")).isFalse();
            assertThat(Fixture.query(two, "SELECT code, note FROM codes ORDER BY code")).extracting(Map::values)
                    .map(List::copyOf).containsExactly(List.of(1, "a"), List.of(2, "b"));
        }
    }
}
