package dev.safemigrate.dialect.mysql;

import dev.safemigrate.core.kit.PlanVerifyKit;
import dev.safemigrate.core.kit.TestDatabase;

class MysqlPlanVerifyTest extends PlanVerifyKit {
    @Override
    protected TestDatabase.Provider provider() {
        return MysqlDatabases.INSTANCE;
    }
}
