package dev.safemigrate.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.SafeMigrate;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.kit.Customers;
import dev.safemigrate.core.kit.Databases;
import dev.safemigrate.core.kit.TestDatabase;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * An application with Flyway and the starter: Flyway's {@code V1__create.sql} makes a table with
 * duplicates, then the starter applies the rules file, on H2, PostgreSQL and MariaDB.
 */
class SpringBootStarterTest {
    @TempDir
    Path dir;

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }

    @ParameterizedTest
    @EnumSource(Databases.class)
    void startUpRunsTheRulesAfterFlyway(Databases server) throws Exception {
        try (TestDatabase db = server.create("sm_spring_" + suffix())) {
            writeRules(Customers.RULES);
            try (ConfigurableApplicationContext context = start(db, Map.of())) {
                assertThat(Customers.rows(db.dataSource())).isEqualTo(Customers.DEDUPED);
                assertThat(Customers.unique(db.dataSource())).isTrue();
                assertThat(context.getBean(SafeMigrate.class).status(List.of()).history())
                        .extracting(h -> h.id() + "=" + h.status()).containsExactly(Customers.ID + "=applied");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Databases.class)
    void aFailingRulesFileStopsStartUpWithItsMessageAndTheDataAsItWas(Databases server) throws Exception {
        try (TestDatabase db = server.create("sm_spring_" + suffix())) {
            writeRules(Customers.FAULTY_RULES);

            Throwable failure = catchThrowable(() -> start(db, Map.of()).close());

            SafeMigrateException cause = cause(failure);
            assertThat(cause.exitCode()).isEqualTo(ExitCode.FAILED_RESTORED);
            assertThat(cause).hasMessageStartingWith("safemigrate could not migrate at start-up (exit 1: the migration failed and the database"
                    + " is as it was before the run): ").hasMessageContaining(Customers.FAULT_MESSAGE);
            assertThat(Customers.rows(db.dataSource())).isEqualTo(Customers.SEEDED);
            assertThat(Customers.unique(db.dataSource())).isFalse();
        }
    }

    /** The rules under the default location, {@code classpath:db/safemigrate}, inside a jar. */
    @ParameterizedTest
    @EnumSource(value = Databases.class, names = "H2")
    void rulesFilesInsideAJarOnTheClassPathLoad(Databases server) throws Exception {
        try (TestDatabase db = server.create("sm_spring_jar_" + suffix())) {
            writeFlyway();
            Path jar = dir.resolve("rules.jar");
            try (var zip = new ZipOutputStream(Files.newOutputStream(jar))) {
                for (String folder : List.of("db/", "db/safemigrate/")) {
                    zip.putNextEntry(new ZipEntry(folder));   // as jar tools write them; Spring lists a folder by its entry
                    zip.closeEntry();
                }
                zip.putNextEntry(new ZipEntry("db/safemigrate/" + Customers.ID + ".yaml"));
                zip.write(Customers.RULES.getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
            try (var loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, getClass().getClassLoader());
                 ConfigurableApplicationContext context = builder(db, Map.of()).resourceLoader(new DefaultResourceLoader(loader)).run()) {
                assertThat(Customers.rows(db.dataSource())).isEqualTo(Customers.DEDUPED);
                assertThat(context.getBean(SafeMigrateProperties.class).locations()).containsExactly("classpath:db/safemigrate");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Databases.class, names = "H2")
    void disabledItLeavesTheDataAlone(Databases server) throws Exception {
        try (TestDatabase db = server.create("sm_spring_off_" + suffix())) {
            writeRules(Customers.RULES);
            try (ConfigurableApplicationContext context = start(db, Map.of("safemigrate.enabled", "false"))) {
                assertThat(context.getBeansOfType(SafeMigrateInitializer.class)).isEmpty();
                assertThat(Customers.rows(db.dataSource())).isEqualTo(Customers.SEEDED);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Databases.class, names = "H2")
    void aLocationWithoutRulesFilesStartsAndChangesNothing(Databases server) throws Exception {
        try (TestDatabase db = server.create("sm_spring_none_" + suffix())) {
            writeFlyway();
            Map<String, String> settings = Map.of("safemigrate.locations", "file:" + dir.resolve("nothing-here"), "safemigrate.lock-timeout", "7s");
            try (ConfigurableApplicationContext context = start(db, settings)) {
                assertThat(context.getBean(SafeMigrateProperties.class).lockTimeout()).hasSeconds(7);
                assertThat(Customers.rows(db.dataSource())).isEqualTo(Customers.SEEDED);
            }
        }
    }

    /** Starts the application with the rules of {@link #writeRules}, unless {@code settings} name other locations. */
    /** With Liquibase instead of Flyway: its changelog makes the table, then the rules run. */
    @ParameterizedTest
    @EnumSource(value = Databases.class, names = "H2")
    void startUpRunsTheRulesAfterLiquibase(Databases server) throws Exception {
        try (TestDatabase db = server.create("sm_spring_liquibase_" + suffix())) {
            writeRules(Customers.RULES);
            Files.writeString(dir.resolve("changelog.sql"), "--liquibase formatted sql\n--changeset test:1\n" + Customers.CREATE + ";\n"
                    + Customers.INSERT + ";\n");
            Map<String, String> liquibase = Map.of("spring.flyway.enabled", "false", "spring.liquibase.enabled", "true",
                    "spring.liquibase.change-log", "file:" + dir.resolve("changelog.sql"));
            try (ConfigurableApplicationContext context = start(db, liquibase)) {
                assertThat(Customers.rows(db.dataSource())).isEqualTo(Customers.DEDUPED);
                assertThat(Customers.unique(db.dataSource())).isTrue();
            }
        }
    }

    private ConfigurableApplicationContext start(TestDatabase db, Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(Map.of("safemigrate.locations", "file:" + dir.resolve("safemigrate")));
        all.putAll(settings);
        return builder(db, all).run();
    }

    private SpringApplicationBuilder builder(TestDatabase db, Map<String, String> settings) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("spring.datasource.url", db.url());
        properties.put("spring.flyway.locations", "filesystem:" + dir.resolve("flyway"));
        properties.put("spring.main.banner-mode", "off");
        properties.put("spring.liquibase.enabled", "false");
        properties.putAll(settings);
        return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE).logStartupInfo(false).properties(properties);
    }

    private void writeRules(String rules) throws IOException {
        writeFlyway();
        Files.createDirectories(dir.resolve("safemigrate"));
        Files.writeString(dir.resolve("safemigrate").resolve(Customers.ID + ".yaml"), rules);
    }

    private void writeFlyway() throws IOException {
        Files.createDirectories(dir.resolve("flyway"));
        Files.writeString(dir.resolve("flyway").resolve("V1__create.sql"), Customers.CREATE + ";\n" + Customers.INSERT + ";\n");
    }

    private static SafeMigrateException cause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SafeMigrateException e) {
                return e;
            }
        }
        throw new AssertionError("no SafeMigrateException in the start-up failure", failure);
    }

    private static String suffix() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }
}
