package dev.safemigrate.core.kit;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.h2.jdbcx.JdbcDataSource;

/** In-memory H2 databases for kits that run on H2 (and its modes): one per test, shut down on close. */
public final class H2Memory {
    private H2Memory() {
    }

    /** A fresh database called {@code name}; {@code options} are URL settings such as {@code ;MODE=STRICT}. */
    public static TestDatabase open(String name, String options) {
        String url = "jdbc:h2:mem:" + name + options + ";DB_CLOSE_DELAY=-1";
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
