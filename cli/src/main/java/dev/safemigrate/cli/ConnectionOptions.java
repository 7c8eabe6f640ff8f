package dev.safemigrate.cli;

import dev.safemigrate.core.DriverManagerDataSource;
import dev.safemigrate.core.Extensions;
import dev.safemigrate.core.RunListener;
import dev.safemigrate.core.SafeMigrate;
import dev.safemigrate.core.SafeMigrateException;
import java.time.Duration;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --url}, {@code --user}, {@code --password-env}, {@code --dialect}, {@code --lock-timeout}, {@code --check-timeout}:
 * how to reach the database.
 */
public final class ConnectionOptions {
    static final String DEFAULT_URL = "jdbc:h2:file:./safemigrate-data/safemigrate;AUTO_SERVER=TRUE";
    private static final String EXAMPLE_URL = "jdbc:postgresql://localhost:5432/app";
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--url", paramLabel = "JDBC_URL",
            description = "JDBC URL of the database (default: $SAFEMIGRATE_URL, else " + DEFAULT_URL + ").")
    String url;

    @Option(names = "--user", paramLabel = "NAME", description = "Database user (default: $SAFEMIGRATE_USER).")
    String user;

    @Option(names = "--password-env", paramLabel = "VAR",
            description = "Name of the environment variable holding the password (default: SAFEMIGRATE_PASSWORD).")
    String passwordEnv;

    @Option(names = "--dialect", paramLabel = "NAME",
            description = "Use this dialect instead of the one whose probe matches the server (its version is still checked).")
    String dialect;

    @Option(names = "--lock-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long to wait for the migration lock and table locks, 0 to 86400 (one day) (default: ${DEFAULT-VALUE}).")
    long lockTimeoutSeconds;

    @Option(names = "--check-timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "How long one precondition or postcondition may run before it is cancelled and fails (default: ${DEFAULT-VALUE}).")
    long checkTimeoutSeconds;

    /** The JDBC URL: --url, else $SAFEMIGRATE_URL (set but empty counts as unset), else the default. */
    String url() {
        if (url != null) {
            return jdbcUrl(url, "--url");
        }
        String fromEnv = Main.env(mixee, "SAFEMIGRATE_URL");
        return fromEnv == null || fromEnv.isBlank() ? DEFAULT_URL : jdbcUrl(fromEnv, "SAFEMIGRATE_URL");
    }

    /** {@code value} if it is a JDBC URL; the message does not repeat it, as a mistyped URL may carry a password. */
    private static String jdbcUrl(String value, String from) {
        if (value.isBlank()) {
            throw SafeMigrateException.invalid(from + " is empty: give a JDBC URL, like " + EXAMPLE_URL);
        }
        if (!value.startsWith("jdbc:")) {
            throw SafeMigrateException.invalid(from + " is not a JDBC URL: it must start with 'jdbc:', like " + EXAMPLE_URL);
        }
        return value;
    }

    private String user() {
        if (user != null && user.isBlank()) {
            throw SafeMigrateException.invalid("--user is empty: give a database user name, or leave the option out");
        }
        String resolved = user != null ? user : Main.env(mixee, "SAFEMIGRATE_USER");
        // As for SAFEMIGRATE_URL, a variable set but empty counts as unset (an empty password, though, is a password).
        return resolved == null || resolved.isBlank() ? null : resolved;
    }

    private String password() {
        if (passwordEnv != null && !VARIABLE.matcher(passwordEnv).matches()) {
            // Not repeated: someone may have given the password itself.
            throw SafeMigrateException.invalid("--password-env takes the name of an environment variable (letters, digits and _,"
                    + " not starting with a digit) that holds the password, not the password itself");
        }
        String variable = passwordEnv != null ? passwordEnv : "SAFEMIGRATE_PASSWORD";
        String password = Main.env(mixee, variable);
        if (password == null && passwordEnv != null) {
            throw SafeMigrateException.invalid("--password-env " + passwordEnv + ": the environment variable " + passwordEnv + " is not set");
        }
        return password;
    }

    Duration lockTimeout() {
        long most = SafeMigrate.MAX_LOCK_TIMEOUT.toSeconds();
        if (lockTimeoutSeconds < 0 || lockTimeoutSeconds > most) {
            throw SafeMigrateException.invalid("--lock-timeout must be between 0 and " + most + " seconds (one day), not " + lockTimeoutSeconds);
        }
        return Duration.ofSeconds(lockTimeoutSeconds);
    }

    Duration checkTimeout() {
        if (checkTimeoutSeconds < 1) {
            throw SafeMigrateException.invalid("--check-timeout must be at least 1 second, not " + checkTimeoutSeconds);
        }
        return Duration.ofSeconds(checkTimeoutSeconds);
    }

    /** A library instance for this database, reporting progress to {@code listener}. */
    SafeMigrate safeMigrate(Extensions extensions, RunListener listener) {
        SafeMigrate.Builder builder = SafeMigrate.builder()
                .dataSource(new DriverManagerDataSource(url(), user(), password()))
                .extensions(extensions)
                .lockTimeout(lockTimeout())
                .checkTimeout(checkTimeout())
                .listener(listener);
        if (dialect != null) {
            builder.dialect(dialect);
        }
        return builder.build();
    }
}
