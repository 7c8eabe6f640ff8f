package com.example.safemigrate;

import dev.safemigrate.core.kit.FaultSweepKit;
import dev.safemigrate.core.kit.TestDatabase;

class H2StrictFaultSweepTest extends FaultSweepKit {
    @Override
    protected TestDatabase.Provider provider() {
        return StrictH2.DATABASES;
    }

}
