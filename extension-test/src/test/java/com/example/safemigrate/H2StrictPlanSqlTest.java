package com.example.safemigrate;

import dev.safemigrate.core.kit.PlanSqlKit;
import dev.safemigrate.core.kit.TestDatabase;

/** plan --sql through a dialect and a strategy (step_limited, delegating to compensating) from outside the project. */
class H2StrictPlanSqlTest extends PlanSqlKit {
    @Override
    protected TestDatabase.Provider provider() {
        return StrictH2.DATABASES;
    }
}
