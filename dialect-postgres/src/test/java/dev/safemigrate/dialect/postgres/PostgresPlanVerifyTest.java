package dev.safemigrate.dialect.postgres;

import dev.safemigrate.core.kit.PlanVerifyKit;
import dev.safemigrate.core.kit.TestDatabase;

class PostgresPlanVerifyTest extends PlanVerifyKit {
    @Override
    protected TestDatabase.Provider provider() {
        return PostgresDatabases.INSTANCE;
    }
}
