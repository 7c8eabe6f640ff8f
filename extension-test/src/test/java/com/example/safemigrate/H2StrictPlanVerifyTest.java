package com.example.safemigrate;

import dev.safemigrate.core.kit.PlanVerifyKit;
import dev.safemigrate.core.kit.TestDatabase;

class H2StrictPlanVerifyTest extends PlanVerifyKit {
    @Override
    protected TestDatabase.Provider provider() {
        return StrictH2.DATABASES;
    }

}
