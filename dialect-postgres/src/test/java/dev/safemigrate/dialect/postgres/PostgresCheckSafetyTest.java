package dev.safemigrate.dialect.postgres;

import dev.safemigrate.core.kit.CheckSafetyKit;
import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.kit.TestDatabase;
import java.util.List;

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
}
