package dev.safemigrate.dialect.h2;

import dev.safemigrate.core.kit.PlanSqlKit;
import dev.safemigrate.core.kit.TestDatabase;

class H2PlanSqlTest extends PlanSqlKit {
    @Override
    protected TestDatabase.Provider provider() {
        return H2Databases.INSTANCE;
    }
}
