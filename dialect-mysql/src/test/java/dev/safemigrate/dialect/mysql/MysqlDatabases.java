package dev.safemigrate.dialect.mysql;

import com.mysql.cj.jdbc.MysqlDataSource;
import dev.safemigrate.core.kit.Servers;
import dev.safemigrate.core.kit.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * One MySQL/MariaDB server per JVM ({@code SAFEMIGRATE_TEST_MYSQL_URL}, else the local server, else
 * Testcontainers' {@code mysql:8} where Docker runs); one database per test, dropped on close.
 */
final class MysqlDatabases implements TestDatabase.Provider {
    public static final MysqlDatabases INSTANCE = new MysqlDatabases();
    private static final String DEFAULT_URL = "jdbc:mysql://127.0.0.1:3306/test";

    private record Server(String url, String user, String password) {
        /** The server URL with its database replaced by {@code database}, keeping any options. */
        String urlFor(String database) {
            int hostStart = url.indexOf("//") + 2;
            int pathStart = url.indexOf('/', hostStart);
            int query = url.indexOf('?', hostStart);
            String base = pathStart < 0 || (query >= 0 && query < pathStart) ? (query < 0 ? url : url.substring(0, query)) : url.substring(0, pathStart);
            String options = query < 0 ? "" : url.substring(query);
            String extra = options.contains("allowPublicKeyRetrieval") ? "" : (options.isEmpty() ? "?" : "&") + "allowPublicKeyRetrieval=true";
            return base + "/" + database + options + extra;
        }
    }

    private static Optional<Server> server;

    static synchronized Optional<Server> server() {
        if (server == null) {
            server = find();
        }
        return server;
    }

    private static Optional<Server> find() {
        Optional<String> local = Servers.reachable("SAFEMIGRATE_TEST_MYSQL_URL", DEFAULT_URL, "root", "");
        if (local.isPresent()) {
            return Optional.of(new Server(local.get(), "root", ""));
        }
        try {
            if (org.testcontainers.DockerClientFactory.instance().isDockerAvailable()) {
                @SuppressWarnings("resource")
                org.testcontainers.containers.MySQLContainer<?> container = new org.testcontainers.containers.MySQLContainer<>("mysql:8")
                        .withUsername("root").withPassword("test");
                container.start();
                return Optional.of(new Server(container.getJdbcUrl(), "root", "test"));
            }
        } catch (RuntimeException | LinkageError e) {
            System.err.println("safemigrate tests: cannot start a MySQL container (" + e + ")");
        }
        return Optional.empty();
    }

    /** Whether the server is MariaDB (as on the development machine) rather than MySQL. */
    static boolean isMariaDb() {
        try (Connection connection = admin()) {
            return connection.getMetaData().getDatabaseProductVersion().toLowerCase(java.util.Locale.ROOT).contains("mariadb");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static Connection admin() throws SQLException {
        Server s = server().orElseThrow();
        return DriverManager.getConnection(s.url(), s.user(), s.password());
    }

    @Override
    public TestDatabase create(String name) {
        Optional<Server> found = server();
        if (found.isEmpty()) {
            Servers.unavailable("MySQL/MariaDB");
        }
        Server s = found.orElseThrow();
        execute("DROP DATABASE IF EXISTS `" + name + "`", "CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4");
        String url = s.urlFor(name);
        MysqlDataSource dataSource = new MysqlDataSource();
        dataSource.setURL(url);
        dataSource.setUser(s.user());
        dataSource.setPassword(s.password());
        return TestDatabase.of(dataSource, url, () -> execute("DROP DATABASE IF EXISTS `" + name + "`"));
    }

    private static void execute(String... statements) {
        try (Connection connection = admin(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
