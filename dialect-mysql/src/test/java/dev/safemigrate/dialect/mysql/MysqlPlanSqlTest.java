package dev.safemigrate.dialect.mysql;

import dev.safemigrate.core.kit.PlanSqlKit;
import dev.safemigrate.core.kit.TestDatabase;

class MysqlPlanSqlTest extends PlanSqlKit {
    @Override
    protected TestDatabase.Provider provider() {
        return MysqlDatabases.INSTANCE;
    }
}
