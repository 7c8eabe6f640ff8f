package dev.safemigrate.dialect.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.kit.CheckSafetyKit;
import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.kit.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The effect: setval on a sequence; the user function is plpgsql marked STABLE, which does not make it so. */
class PostgresCheckSafetyTest extends CheckSafetyKit {
    @Override
    protected TestDatabase.Provider provider() {
        return PostgresDatabases.INSTANCE;
    }

    @Override
    protected void prepareEffect() throws Exception {
        Fixture.execute(dataSource, "CREATE SEQUENCE sm_kit_seq");
    }

    @Override
    protected String effect() {
        return "setval('sm_kit_seq', 120)";
    }

    @Override
    protected boolean effectHappened() throws Exception {
        return Fixture.count(dataSource, "SELECT last_value FROM sm_kit_seq") == 120;
    }

    @Override
    protected List<String> userFunction() {
        return List.of("CREATE FUNCTION " + USER_FUNCTION + "() RETURNS bigint LANGUAGE plpgsql STABLE AS $$ BEGIN RETURN setval('sm_kit_seq', 120); END $$");
    }

    /** A recursive view names itself in its definition: it is checked once (no endless descent) and the check runs. */
    @Test
    void aRecursiveViewIsCheckedOnceAndRuns() throws Exception {
        Fixture.execute(dataSource, "CREATE RECURSIVE VIEW sm_kit_nums (n) AS VALUES (1) UNION ALL SELECT n + 1 FROM sm_kit_nums WHERE n < 5");
        var migration = withChecks("kit_recursive", List.of(check("SELECT SUM(n) FROM sm_kit_nums", 15)), List.of());

        assertThat(safeMigrate().plan(List.of(migration)).migrations().get(0).status()).isEqualTo("pending");
        assertThat(safeMigrate().migrate(List.of(migration)).migrations().get(0).outcome()).isEqualTo("applied");
    }
}
