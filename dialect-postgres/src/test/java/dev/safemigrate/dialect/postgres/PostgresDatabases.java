package dev.safemigrate.dialect.postgres;

import dev.safemigrate.core.kit.Servers;
import dev.safemigrate.core.kit.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * The PostgreSQL server the tests share (found once per JVM: SAFEMIGRATE_TEST_POSTGRES_URL, else
 * 127.0.0.1:5432, else a Testcontainers container), with a fresh schema per test, dropped on close.
 */
final class PostgresDatabases implements TestDatabase.Provider {
    static final PostgresDatabases INSTANCE = new PostgresDatabases();
    static final String USER_VARIABLE = "SAFEMIGRATE_TEST_POSTGRES_USER";

    private record Server(String url, String user, String password) {
    }

    private static volatile Optional<Server> server;

    private static synchronized Optional<Server> server() {
        if (server == null) {
            server = find();
        }
        return server;
    }

    private static Optional<Server> find() {
        String user = Optional.ofNullable(System.getenv(USER_VARIABLE)).filter(s -> !s.isBlank()).orElse("postgres");
        String password = Optional.ofNullable(System.getenv("SAFEMIGRATE_TEST_POSTGRES_PASSWORD")).orElse("");
        Optional<String> url = Servers.reachable("SAFEMIGRATE_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test", user, password);
        if (url.isPresent()) {
            return Optional.of(new Server(url.get(), user, password));
        }
        try {
            if (DockerClientFactory.instance().isDockerAvailable()) {
                PostgreSQLContainer<?> container = new PostgreSQLContainer<>("postgres:15-alpine");
                container.start();
                Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
                return Optional.of(new Server(container.getJdbcUrl(), container.getUsername(), container.getPassword()));
            }
        } catch (RuntimeException e) {
            System.err.println("safemigrate tests: Docker is not usable (" + e.getMessage() + ")");
        }
        return Optional.empty();
    }

    /** The shared server's base URL, user and password; skips (or fails under CI=true) when there is none. */
    static String[] serverOrSkip() {
        Optional<Server> found = server();
        if (found.isEmpty()) {
            Servers.unavailable("PostgreSQL");
        }
        Server s = found.orElseThrow();
        return new String[] {s.url(), s.user(), s.password()};
    }

    static PGSimpleDataSource dataSource(String schema) {
        String[] s = serverOrSkip();
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(s[0]);
        dataSource.setUser(s[1]);
        dataSource.setPassword(s[2]);
        dataSource.setReWriteBatchedInserts(true);
        if (schema != null) {
            dataSource.setCurrentSchema(schema);
        }
        return dataSource;
    }

    static void execute(DataSource dataSource, String sql) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    @Override
    public TestDatabase create(String name) {
        PGSimpleDataSource admin = dataSource(null);
        execute(admin, "DROP SCHEMA IF EXISTS \"" + name + "\" CASCADE");
        execute(admin, "CREATE SCHEMA \"" + name + "\"");
        PGSimpleDataSource dataSource = dataSource(name);
        String[] s = serverOrSkip();
        String url = s[0] + (s[0].contains("?") ? "&" : "?") + "currentSchema=" + name;
        return TestDatabase.of(dataSource, url, () -> execute(admin, "DROP SCHEMA IF EXISTS \"" + name + "\" CASCADE"));
    }
}
