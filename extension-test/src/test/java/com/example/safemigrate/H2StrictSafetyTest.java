package com.example.safemigrate;

import dev.safemigrate.core.kit.SafetyKit;
import dev.safemigrate.core.kit.TestDatabase;

class H2StrictSafetyTest extends SafetyKit {
    @Override
    protected TestDatabase.Provider provider() {
        return StrictH2.DATABASES;
    }

}
