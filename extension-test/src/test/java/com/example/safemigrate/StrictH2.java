package com.example.safemigrate;

import dev.safemigrate.core.SafeMigrate;
import dev.safemigrate.core.kit.H2Memory;
import dev.safemigrate.core.kit.TestDatabase;

/** In-memory H2 databases in {@code MODE=STRICT}, one per test, and the explicit choice of {@code h2-strict}. */
final class StrictH2 {
    static final TestDatabase.Provider DATABASES = StrictH2::create;

    private StrictH2() {
    }

    private static TestDatabase create(String name) {
        return H2Memory.open(name, ";MODE=STRICT");
    }

    /** Detection would pick {@code h2} (see {@link H2StrictDialect#handles}), so the dialect is named. */
    static SafeMigrate.Builder choose(SafeMigrate.Builder builder) {
        return builder.dialect(H2StrictDialect.NAME);
    }
}
