package dev.safemigrate.dialect.h2;

import dev.safemigrate.core.kit.PlanVerifyKit;
import dev.safemigrate.core.kit.TestDatabase;

class H2PlanVerifyTest extends PlanVerifyKit {
    @Override
    protected TestDatabase.Provider provider() {
        return H2Databases.INSTANCE;
    }
}
