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

    /** A database handed out as {@code dataSource} at {@code url}; closing runs {@code drop}. */
    static TestDatabase of(DataSource dataSource, String url, Runnable drop) {
        return new TestDatabase() {
            @Override
            public DataSource dataSource() {
                return dataSource;
            }

            @Override
            public String url() {
                return url;
            }

            @Override
            public void close() {
                drop.run();
            }
        };
    }

    /** Makes a fresh {@link TestDatabase}; each dialect module supplies one. */
    interface Provider {
        TestDatabase create(String name);
    }
}
