package dev.safemigrate.core.kit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the database server a dialect's tests run against: the URL in an environment variable, else
 * a default local address, else nothing. Without a server, tests are skipped loudly, or fail when
 * {@code CI=true}.
 */
public final class Servers {
    private Servers() {
    }

    /** {@code envVar}'s URL, else {@code defaultUrl}, if a connection with {@code user}/{@code password} succeeds. */
    public static Optional<String> reachable(String envVar, String defaultUrl, String user, String password) {
        String url = Optional.ofNullable(System.getenv(envVar)).filter(s -> !s.isBlank()).orElse(defaultUrl);
        try (Connection ignored = DriverManager.getConnection(url, user, password)) {
            return Optional.of(url);
        } catch (SQLException e) {
            System.err.println("safemigrate tests: no server at " + url + " (" + e.getMessage() + ")");
            return Optional.empty();
        }
    }

    /** Skips the calling test with a loud message, or fails it when running under {@code CI=true}. */
    public static void unavailable(String what) {
        String message = "NO " + what + " SERVER: set the URL variable, start the server, or run where Docker is available";
        if ("true".equals(System.getenv("CI"))) {
            Assertions.fail(message + " (CI=true, so this is a failure, not a skip)");
        }
        System.err.println("!!!!!!!!!! SKIPPED: " + message + " !!!!!!!!!!");
        Assumptions.abort(message);
    }
}
