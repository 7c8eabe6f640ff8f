package dev.safemigrate.cli;

import dev.safemigrate.core.Extensions;
import dev.safemigrate.core.RunListener;
import dev.safemigrate.core.SafeMigrate;
import dev.safemigrate.core.SafeMigrateException;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --url}, {@code --user}, {@code --password-env}, {@code --lock-timeout}, {@code --check-timeout}: how to reach the database. */
public final class ConnectionOptions {
    static final String DEFAULT_URL = "jdbc:h2:file:./safemigrate-data/safemigrate;AUTO_SERVER=TRUE";

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

    @Option(names = "--lock-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long to wait for the migration lock and table locks (default: ${DEFAULT-VALUE}).")
    long lockTimeoutSeconds;

    @Option(names = "--check-timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "How long one precondition or postcondition may run before it is cancelled and fails (default: ${DEFAULT-VALUE}).")
    long checkTimeoutSeconds;

    String url() {
        String resolved = url != null ? url : Main.env(mixee, "SAFEMIGRATE_URL");
        return resolved == null || resolved.isBlank() ? DEFAULT_URL : resolved;
    }

    private String user() {
        return user != null ? user : Main.env(mixee, "SAFEMIGRATE_USER");
    }

    private String password() {
        String variable = passwordEnv != null ? passwordEnv : "SAFEMIGRATE_PASSWORD";
        String password = Main.env(mixee, variable);
        if (password == null && passwordEnv != null) {
            throw SafeMigrateException.invalid("--password-env " + passwordEnv + ": the environment variable " + passwordEnv + " is not set");
        }
        return password;
    }

    Duration lockTimeout() {
        if (lockTimeoutSeconds < 0) {
            throw SafeMigrateException.invalid("--lock-timeout must be 0 or more seconds, not " + lockTimeoutSeconds);
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
        return SafeMigrate.builder()
                .dataSource(new DriverManagerDataSource(url(), user(), password()))
                .extensions(extensions)
                .lockTimeout(lockTimeout())
                .checkTimeout(checkTimeout())
                .listener(listener)
                .build();
    }
}
