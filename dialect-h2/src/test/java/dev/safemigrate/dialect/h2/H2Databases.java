package dev.safemigrate.dialect.h2;

import dev.safemigrate.core.kit.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.h2.jdbcx.JdbcDataSource;

/** In-memory H2 databases for the kit: one per test, dropped on close. */
final class H2Databases implements TestDatabase.Provider {
    static final H2Databases INSTANCE = new H2Databases();

    @Override
    public TestDatabase create(String name) {
        String url = "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1";
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL(url);
        return TestDatabase.of(dataSource, url, () -> {
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("SHUTDOWN");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
