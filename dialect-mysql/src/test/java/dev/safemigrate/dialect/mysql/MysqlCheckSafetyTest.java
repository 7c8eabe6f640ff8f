package dev.safemigrate.dialect.mysql;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.safemigrate.core.kit.CheckSafetyKit;
import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.kit.TestDatabase;
import java.util.List;

/**
 * The effect: NEXTVAL on a MariaDB sequence (no rollback undoes it); the user function is a stored
 * function declared READS SQL DATA, which does not make it so.
 */
class MysqlCheckSafetyTest extends CheckSafetyKit {
    @Override
    protected TestDatabase.Provider provider() {
        return MysqlDatabases.INSTANCE;
    }

    @Override
    protected void prepareEffect() throws Exception {
        assumeTrue(MysqlDatabases.isMariaDb(), "sequences are MariaDB's");
        Fixture.execute(dataSource, "CREATE SEQUENCE sm_kit_seq NOCACHE");
    }

    @Override
    protected String effect() {
        return "NEXTVAL(sm_kit_seq)";
    }

    @Override
    protected boolean effectHappened() throws Exception {
        return Fixture.count(dataSource, "SELECT next_not_cached_value FROM sm_kit_seq") != 1;
    }

    @Override
    protected List<String> userFunction() {
        return List.of("CREATE FUNCTION " + USER_FUNCTION + "() RETURNS BIGINT NOT DETERMINISTIC READS SQL DATA RETURN NEXTVAL(sm_kit_seq)");
    }
}
