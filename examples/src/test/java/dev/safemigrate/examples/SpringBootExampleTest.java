package dev.safemigrate.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.kit.Databases;
import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.kit.TestDatabase;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * {@code examples/spring-boot}: the application's resources on its class path, as in its jar; Flyway
 * creates the tables, then the starter applies {@code db/safemigrate}, on H2, PostgreSQL and MariaDB.
 */
class SpringBootExampleTest {
    /** The example's application class, as its README shows it. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class AccountsApplication {
    }

    @ParameterizedTest
    @EnumSource(Databases.class)
    void startUpRunsFlywayThenTheRules(Databases server) throws Exception {
        try (TestDatabase db = server.create("sm_example_boot_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10));
             URLClassLoader resources = new URLClassLoader(new URL[] {AccountsExample.locate("spring-boot").resolve("src/main/resources").toUri().toURL()},
                     getClass().getClassLoader());
             ConfigurableApplicationContext context = new SpringApplicationBuilder(AccountsApplication.class).web(WebApplicationType.NONE)
                     .resourceLoader(new DefaultResourceLoader(resources)).logStartupInfo(false)
                     .run("--spring.datasource.url=" + db.url(), "--spring.main.banner-mode=off")) {
            assertThat(AccountsExample.rows(db.dataSource(), "account")).isEqualTo(AccountsExample.ACCOUNTS);
            assertThat(AccountsExample.rows(db.dataSource(), "invoice")).isEqualTo(AccountsExample.INVOICES);
            assertThat(Fixture.constraintExists(db.dataSource(), "uq_account_email")).isTrue();
            assertThat(context.getEnvironment().getProperty("safemigrate.lock-timeout")).as("the example's application.properties").isEqualTo("30s");
        }
    }
}
