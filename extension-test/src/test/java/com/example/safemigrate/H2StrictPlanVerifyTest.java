package com.example.safemigrate;

import dev.safemigrate.core.SafeMigrate;
import dev.safemigrate.core.kit.PlanVerifyKit;
import dev.safemigrate.core.kit.TestDatabase;

class H2StrictPlanVerifyTest extends PlanVerifyKit {
    @Override
    protected TestDatabase.Provider provider() {
        return StrictH2.DATABASES;
    }

    @Override
    protected SafeMigrate.Builder configure(SafeMigrate.Builder builder) {
        return StrictH2.choose(builder);
    }
}
