package com.example.safemigrate;

import dev.safemigrate.core.SafeMigrate;
import dev.safemigrate.core.kit.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.h2.jdbcx.JdbcDataSource;

/** In-memory H2 databases in {@code MODE=STRICT}, one per test, and the explicit choice of {@code h2-strict}. */
final class StrictH2 {
    static final TestDatabase.Provider DATABASES = StrictH2::create;

    private StrictH2() {
    }

    private static TestDatabase create(String name) {
        String url = "jdbc:h2:mem:" + name + ";MODE=STRICT;DB_CLOSE_DELAY=-1";
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

    /** Detection would pick {@code h2} (see {@link H2StrictDialect#handles}), so the dialect is named. */
    static SafeMigrate.Builder choose(SafeMigrate.Builder builder) {
        return builder.dialect(H2StrictDialect.NAME);
    }
}
