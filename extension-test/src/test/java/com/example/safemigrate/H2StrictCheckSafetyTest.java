package com.example.safemigrate;

import dev.safemigrate.core.kit.H2CheckSafetyKit;
import dev.safemigrate.core.kit.TestDatabase;

/** The outside dialect delegates its check policy to H2's: the same effect is refused wherever it hides. */
class H2StrictCheckSafetyTest extends H2CheckSafetyKit {
    @Override
    protected TestDatabase.Provider provider() {
        return StrictH2.DATABASES;
    }
}
