package dev.safemigrate.core.kit;

import javax.sql.DataSource;

/**
 * A database (or schema) of the kit's own for one test: empty when handed out, dropped on close.
 * Unqualified names in its connections resolve to it.
 */
public interface TestDatabase extends AutoCloseable {
    DataSource dataSource();

    /** A JDBC URL that reaches the same database, for subprocess tests. */
    String url();

    @Override
    void close();

    /** Makes a fresh {@link TestDatabase}; each dialect module supplies one. */
    interface Provider {
        TestDatabase create(String name);
    }
}
