package dev.safemigrate.maven;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.DriverManagerDataSource;
import dev.safemigrate.core.kit.Customers;
import dev.safemigrate.core.kit.Databases;
import dev.safemigrate.core.kit.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Maven itself, in a process of its own and offline, runs the goals on a sample project: a pom that
 * names the plugin and a rules file in {@code src/main/resources/db/safemigrate}, the default location.
 * The plugin and everything it needs come from the repository that maven-invoker-plugin's {@code install}
 * filled before this test ({@code it.repository}); what Maven reads besides (parent poms, BOMs) from this
 * build's own local repository, as the only "remote" one, so the run needs no network.
 */
class MavenPluginIT {
    private static final String[] PLUGIN = System.getProperty("it.plugin", "::").split(":");

    @TempDir
    Path project;

    @ParameterizedTest
    @EnumSource(Databases.class)
    void theGoalsRunOnASampleProjectAndTheBuildSucceeds(Databases server) throws Exception {
        try (TestDatabase db = GoalsTest.seeded(database(server))) {
            writeProject(Customers.RULES);

            Run run = maven(db, "safemigrate:plan", "safemigrate:migrate", "safemigrate:verify", "safemigrate:status");

            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(run.output()).contains(Customers.ID + ": pending, would run as ").contains(Customers.ID + ": applied (")
                    .contains("all 1 check hold").contains("BUILD SUCCESS");
            assertThat(Customers.rows(db.dataSource())).isEqualTo(Customers.DEDUPED);
            assertThat(Customers.unique(db.dataSource())).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Databases.class)
    void aFailedMigrationFailsTheBuildSayingTheDatabaseIsAsItWas(Databases server) throws Exception {
        try (TestDatabase db = GoalsTest.seeded(database(server))) {
            writeProject(Customers.FAULTY_RULES);

            Run run = maven(db, "safemigrate:migrate");

            assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
            assertThat(run.output()).contains("safemigrate migrate failed with exit code 1 (the migration failed and the database is as it was"
                    + " before the run)").contains(Customers.FAULT_MESSAGE).contains("BUILD FAILURE");
            assertThat(Customers.rows(db.dataSource())).isEqualTo(Customers.SEEDED);
            assertThat(Customers.unique(db.dataSource())).isFalse();
        }
    }

    /** The server's fresh database; for H2 a file database, since Maven runs in another process. */
    private TestDatabase database(Databases server) {
        if (server != Databases.H2) {
            return server.create("sm_maven_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10));
        }
        String url = "jdbc:h2:file:" + project.resolve("h2").toAbsolutePath() + ";USER=sa;PASSWORD=";
        return TestDatabase.of(new DriverManagerDataSource(url, null, null), url, () -> { });
    }

    private void writeProject(String rules) throws IOException {
        Files.writeString(project.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>example</groupId>
                  <artifactId>sample</artifactId>
                  <version>1</version>
                  <packaging>pom</packaging>
                  <build>
                    <plugins>
                      <plugin><groupId>%s</groupId><artifactId>%s</artifactId><version>%s</version></plugin>
                    </plugins>
                  </build>
                </project>
                """.formatted(PLUGIN[0], PLUGIN[1], PLUGIN[2]));
        Path location = Files.createDirectories(project.resolve("src/main/resources/db/safemigrate"));
        Files.writeString(location.resolve(Customers.ID + ".yaml"), rules);
    }

    private Path settings() throws IOException {
        return Files.writeString(project.resolve("settings.xml"), """
                <settings>
                  <mirrors>
                    <mirror><id>seeded</id><mirrorOf>*</mirrorOf><url>%s</url></mirror>
                  </mirrors>
                </settings>
                """.formatted(Path.of(System.getProperty("it.seeded")).toUri()));
    }

    private record Run(int exitCode, String output) {
    }

    private Run maven(TestDatabase db, String... goals) throws Exception {
        Path log = project.resolve("maven.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("maven.home"), "bin", "mvn").toString(),
                "-B", "-s", settings().toString(), "-Dmaven.repo.local=" + System.getProperty("it.repository"), "-Dsafemigrate.url=" + db.url(),
                "-Dsafemigrate.lockTimeout=10"));
        command.addAll(List.of(goals));
        Process process = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("Maven did not finish in 5 minutes: " + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
