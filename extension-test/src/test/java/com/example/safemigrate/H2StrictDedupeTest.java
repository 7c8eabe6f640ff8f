package com.example.safemigrate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.kit.DedupeKit;
import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.kit.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.Test;

class H2StrictDedupeTest extends DedupeKit {
    @Override
    protected TestDatabase.Provider provider() {
        return StrictH2.DATABASES;
    }


    /** Without this the kit could pass on the built-in h2 dialect and prove nothing about h2-strict. */
    @Test
    void theKitRunsH2StrictOnAStrictModeDatabase() throws Exception {
        Fixture.seed(dataSource);
        safeMigrate().migrate(List.of(exampleMigration()));

        assertThat(Fixture.query(dataSource, "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'MODE'"))
                .singleElement().satisfies(row -> assertThat(row.get("setting_value")).isEqualTo("STRICT"));
        assertThat(Fixture.query(dataSource, "SELECT dialect FROM safemigrate_history"))
                .singleElement().satisfies(row -> assertThat(row.get("dialect")).isEqualTo("h2-strict"));
    }
}
