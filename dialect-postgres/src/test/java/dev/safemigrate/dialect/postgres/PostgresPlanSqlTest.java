package dev.safemigrate.dialect.postgres;

import dev.safemigrate.core.kit.PlanSqlKit;
import dev.safemigrate.core.kit.TestDatabase;

class PostgresPlanSqlTest extends PlanSqlKit {
    @Override
    protected TestDatabase.Provider provider() {
        return PostgresDatabases.INSTANCE;
    }
}
