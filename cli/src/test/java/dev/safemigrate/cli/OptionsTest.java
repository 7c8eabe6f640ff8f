package dev.safemigrate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.SafeMigrate;
import dev.safemigrate.core.SafeMigrateException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad values of every option and parameter of every command: exit 2 with a message that names the
 * option, no stack trace, and the database untouched.
 */
class OptionsTest {
    @TempDir
    Path tmp;

    Fixture db;

    @BeforeEach
    void seed() throws Exception {
        db = new Fixture(tmp).seeded();
    }

    /** Runs the arguments ({@code RULES} stands for the fixture's rules file) and checks the refusal. */
    private Fixture.Result refused(String expected, String... args) throws Exception {
        List<String> resolved = new ArrayList<>();
        for (String arg : args) {
            resolved.add(arg.equals("RULES") ? db.rules().toString() : arg);
        }
        Fixture.Result result = db.run(resolved.toArray(String[]::new));
        assertThat(result.code()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).as(result.toString()).contains(expected).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(db.count("SELECT COUNT(*) FROM action_invariants")).isEqualTo(7);
        assertThat(db.count("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE LOWER(TABLE_NAME) LIKE 'safemigrate%'")).isZero();
        return result;
    }

    @ParameterizedTest
    @ValueSource(strings = {"plan RULES", "migrate RULES", "verify RULES", "status", "undo some_id", "recover"})
    void aLockTimeoutThatWouldOverflowIsRefusedByEveryCommand(String command) throws Exception {
        // The repro: this value ended in an ArithmeticException and its stack trace.
        String[] args = (command + " --lock-timeout 9223372036854775807").split(" ");

        refused("error: --lock-timeout must be between 0 and 86400 seconds (one day), not 9223372036854775807", args);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            -1                      | error: --lock-timeout must be between 0 and 86400 seconds (one day), not -1
            86401                   | error: --lock-timeout must be between 0 and 86400 seconds (one day), not 86401
            99999999999999999999    | Invalid value for option '--lock-timeout': '99999999999999999999' is not a long
            soon                    | Invalid value for option '--lock-timeout': 'soon' is not a long
            1.5                     | Invalid value for option '--lock-timeout': '1.5' is not a long
            ''                      | Invalid value for option '--lock-timeout': '' is not a long
            """)
    void lockTimeoutOutOfRangeOrNotANumber(String value, String expected) throws Exception {
        refused(expected, "migrate", "--lock-timeout", value, "RULES");
    }

    @Test
    void theLockTimeoutsRangeIsInTheHelpAndIsTheLibrarysOwn() {
        Fixture.Result help = db.run("help", "migrate");

        assertThat(help.code()).isZero();
        assertThat(help.out().replaceAll("\\s+", " ")).contains("--lock-timeout=SECONDS How long to wait for the migration lock and table locks,"
                + " 0 to " + SafeMigrate.MAX_LOCK_TIMEOUT.toSeconds() + " (one day) (default: 60).");
    }

    @Test
    void theLibraryRefusesANegativeOrAbsurdLockTimeoutToo() {
        for (Duration bad : new Duration[] {Duration.ofMillis(-1), Duration.ofDays(1).plusNanos(1), Duration.ofSeconds(Long.MAX_VALUE), null}) {
            SafeMigrateException e = catchThrowableOfType(SafeMigrateException.class, () -> SafeMigrate.builder().lockTimeout(bad));
            assertThat(e).as("lock timeout %s", bad).isNotNull();
            assertThat(e.exitCode()).isEqualTo(ExitCode.INVALID);
            assertThat(e.getMessage()).isEqualTo("the lock timeout must be between 0 and 86400 seconds (one day), not " + bad);
        }
        SafeMigrate.builder().lockTimeout(Duration.ZERO).lockTimeout(SafeMigrate.MAX_LOCK_TIMEOUT);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            --url          | ''                           | error: --url is empty: give a JDBC URL, like jdbc:postgresql://localhost:5432/app
            --url          | '   '                        | error: --url is empty
            --url          | postgres://me:s3cret@db/app  | error: --url is not a JDBC URL: it must start with 'jdbc:', like jdbc:postgresql://localhost:5432/app
            --url          | ' jdbc:h2:mem:x'             | error: --url is not a JDBC URL
            --user         | ''                           | error: --user is empty: give a database user name, or leave the option out
            --user         | ' '                          | error: --user is empty
            --password-env | ''                           | error: --password-env takes the name of an environment variable
            --password-env | 'hunter2 s3cret'             | error: --password-env takes the name of an environment variable (letters, digits and _, not starting with a digit) that holds the password, not the password itself
            --password-env | NO_SUCH_VARIABLE_S3CRET      | error: --password-env NO_SUCH_VARIABLE_S3CRET: the environment variable NO_SUCH_VARIABLE_S3CRET is not set
            """)
    void connectionOptions(String option, String value, String expected) throws Exception {
        Fixture.Result result = refused(expected, "status", option, value);

        if (!value.startsWith("NO_SUCH")) {
            // A mistyped URL or a password given in place of a variable name is not echoed.
            assertThat(result.err()).doesNotContain("s3cret");
        }
    }

    @Test
    void aUrlFromTheEnvironmentIsCheckedTooAndAnEmptyOneMeansUnset() {
        Fixture.Result notJdbc = Fixture.runWithEnv(Map.of("SAFEMIGRATE_URL", "mysql://root@localhost/test"), "recover");
        assertThat(notJdbc.code()).as(notJdbc.toString()).isEqualTo(2);
        assertThat(notJdbc.err()).isEqualTo("error: SAFEMIGRATE_URL is not a JDBC URL: it must start with 'jdbc:',"
                + " like jdbc:postgresql://localhost:5432/app" + System.lineSeparator());

        Fixture.Result empty = Fixture.runWithEnv(Map.of("SAFEMIGRATE_URL", "", "SAFEMIGRATE_USER", ""), "status", "--url", db.url);
        assertThat(empty.code()).as(empty.toString()).isZero();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            oracle     | error: unknown dialect 'oracle'; known dialects: galera, h2, mysql, postgresql
            ''         | error: unknown dialect ''; known dialects: galera, h2, mysql, postgresql
            postgresql | error: the postgresql dialect is for PostgreSQL, not H2 2.
            mysql      | error: the mysql dialect is for MySQL and MariaDB, not H2 2.
            """)
    void aDialectThatIsUnknownOrDoesNotHandleTheServerIsRefused(String dialect, String expected) throws Exception {
        refused(expected, "migrate", "--dialect", dialect, "RULES");
    }

    @Test
    void theDialectThatHandlesTheServerCanBeNamed() throws Exception {
        Fixture.Result result = db.run("migrate", "--dialect", "h2", db.rules().toString());

        assertThat(result.code()).as(result.toString()).isZero();
        assertThat(db.count("SELECT COUNT(*) FROM action_invariants")).isEqualTo(4);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            plan --frobnicate RULES    | Unknown option: '--frobnicate'
            status --lock-timeout      | Missing required parameter for option '--lock-timeout' (SECONDS)
            plan                       | Missing required parameter: 'FILE|DIR'
            undo                       | Missing required parameter: 'ID'
            undo a b                   | Unmatched argument at index 2: 'b'
            status --json=maybe        | Invalid value for option '--json': 'maybe' is not a boolean
            """)
    void usageErrorsNameTheOption(String command, String expected) throws Exception {
        refused(expected, command.split(" "));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            plan    | ''                | error: an empty path was given: name a rules file or a directory of them
            verify  | no/such.yaml      | error: no/such.yaml: no such file or directory
            status  | ''                | error: an empty path was given
            migrate | /dev/zero         | error: /dev/zero: the file is more than 1048576 bytes; a rules file may be at most 1048576 bytes (1 MiB)
            """)
    void pathArgumentsThatCannotBeRulesFiles(String command, String path, String expected) throws Exception {
        refused(expected, command, "RULES", path);
    }

    @Test
    void anEmptyUndoIdIsRefusedBeforeConnecting() throws Exception {
        refused("error: ID is empty: give the id of an applied migration (`safemigrate status` lists them)", "undo", " ",
                "--url", "jdbc:nothing:here");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            --rows | 99            | error: --rows must be between 100 and 10000000, not 99
            --rows | 10000001      | error: --rows must be between 100 and 10000000, not 10000001
            --rows | -5            | error: --rows must be between 100 and 10000000, not -5
            --rows | 99999999999   | Invalid value for option '--rows': '99999999999' is not an int
            --dir  | ''            | error: --dir is empty: give the directory for the demo database, or leave the option out
            """)
    void demoOptions(String option, String value, String expected) throws Exception {
        refused(expected, "demo", option, value);
    }

    @Test
    void demoDirThatIsAFileIsRefusedAndLeftAlone() throws Exception {
        Path rules = db.rules();
        Fixture.Result result = refused("error: --dir " + rules + " is not a directory", "demo", "--dir", rules.toString());

        assertThat(result.out()).isEmpty();
        assertThat(Files.readString(rules)).isEqualTo(Fixture.RULES.formatted(""));
    }

    @Test
    void withJsonABadOptionIsStillOneDocument() throws Exception {
        Fixture.Result result = refused("--lock-timeout", "migrate", "--json", "--lock-timeout", "-5", "RULES");

        JsonNode document = new ObjectMapper().readTree(result.out());
        assertThat(document.path("exit_code").asInt()).isEqualTo(2);
        assertThat(document.path("error").path("kind").asText()).isEqualTo("invalid");
        assertThat(document.path("error").path("message").asText()).isEqualTo("--lock-timeout must be between 0 and 86400 seconds (one day), not -5");
    }

    /** Outside a packaged jar there is no manifest version, and --version says it is a development build rather than make one up. */
    @Test
    void versionNamesTheBuild() throws Exception {
        Fixture.Result result = db.run("--version");
        assertThat(result.code()).as(result.toString()).isZero();
        assertThat(result.out().strip()).isEqualTo("safemigrate (development build)");
    }

    /** safemigrate alone is bad usage: it names the commands and touches no database. */
    @Test
    void noCommandIsBadUsageNamingTheCommands() throws Exception {
        Fixture.Result result = refused("a command is required: plan, migrate, verify, status, undo, recover or demo");

        assertThat(result.out()).isEmpty();
        assertThat(result.err()).contains("Usage: safemigrate");
    }
}
