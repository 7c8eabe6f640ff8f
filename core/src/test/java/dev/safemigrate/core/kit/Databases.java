package dev.safemigrate.core.kit;

import dev.safemigrate.core.DriverManagerDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * The three servers the suite runs on, for modules outside the dialects (the runners): a fresh
 * database per test, reached by a JDBC URL that carries its user and password, so a runner configured
 * with a URL alone (Flyway, Spring Boot, the Maven plugin) reaches the same database as the test.
 * A missing server skips loudly, or fails with {@code CI=true} ({@link Servers}).
 */
public enum Databases implements TestDatabase.Provider {
    H2 {
        @Override
        public TestDatabase create(String name) {
            // H2's own default user, as Spring Boot assumes for an embedded H2; a client must give this user or none.
            String url = "jdbc:h2:mem:" + name + ";USER=sa;PASSWORD=;DB_CLOSE_DELAY=-1";
            return TestDatabase.of(new DriverManagerDataSource(url, null, null), url, () -> execute(url, "SHUTDOWN"));
        }
    },
    POSTGRES {
        @Override
        public TestDatabase create(String name) {
            String server = server("SAFEMIGRATE_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test", "postgres", "PostgreSQL");
            String admin = withCredentials(server, "postgres");
            execute(admin, "DROP SCHEMA IF EXISTS \"" + name + "\" CASCADE", "CREATE SCHEMA \"" + name + "\"");
            String url = admin + "&currentSchema=" + name;
            return TestDatabase.of(new DriverManagerDataSource(url, null, null), url, () -> execute(admin, "DROP SCHEMA IF EXISTS \"" + name + "\" CASCADE"));
        }
    },
    MARIADB {
        @Override
        public TestDatabase create(String name) {
            String server = server("SAFEMIGRATE_TEST_MYSQL_URL", "jdbc:mysql://127.0.0.1:3306/test", "root", "MySQL/MariaDB");
            String admin = withCredentials(server, "root");
            execute(admin, "DROP DATABASE IF EXISTS `" + name + "`", "CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4");
            String url = withCredentials(withDatabase(server, name), "root") + "&allowPublicKeyRetrieval=true";
            return TestDatabase.of(new DriverManagerDataSource(url, null, null), url, () -> execute(admin, "DROP DATABASE IF EXISTS `" + name + "`"));
        }
    };

    private static String server(String variable, String defaultUrl, String user, String what) {
        Optional<String> url = Servers.reachable(variable, defaultUrl, user, "");
        if (url.isEmpty()) {
            Servers.unavailable(what);
        }
        return url.orElseThrow();
    }

    /** {@code url} with {@code user} and an empty password as URL parameters (both drivers read them there). */
    private static String withCredentials(String url, String user) {
        return url + (url.contains("?") ? "&" : "?") + "user=" + user + "&password=";
    }

    /** {@code url} (jdbc:mysql://host:port/db?options) with its database replaced by {@code database}. */
    public static String withDatabase(String url, String database) {
        int hostStart = url.indexOf("//") + 2;
        int query = url.indexOf('?', hostStart);
        String head = query < 0 ? url : url.substring(0, query);
        String options = query < 0 ? "" : url.substring(query);
        int pathStart = head.indexOf('/', hostStart);
        return (pathStart < 0 ? head : head.substring(0, pathStart)) + "/" + database + options;
    }

    private static void execute(String url, String... statements) {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(String.join("; ", statements) + ": " + e.getMessage(), e);
        }
    }
}
