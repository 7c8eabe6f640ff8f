package dev.safemigrate.liquibase;

import dev.safemigrate.core.DriverManagerDataSource;
import dev.safemigrate.core.SafeMigrateException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import liquibase.Scope;
import liquibase.database.Database;
import liquibase.database.core.MariaDBDatabase;
import liquibase.database.core.MySQLDatabase;
import liquibase.database.jvm.JdbcConnection;

/**
 * Where a {@link SafeMigrateChange} gets its connections: safemigrate needs a data source (it holds its
 * lock and, on MySQL, swaps tables on connections of its own), while Liquibase hands a change one
 * connection. An application that runs Liquibase itself puts its DataSource in Liquibase's scope under
 * {@link #SCOPE_KEY}. Otherwise connections are opened to the URL of Liquibase's connection as its user
 * (the password from an environment variable, as the CLI's {@code --password-env}, unless the URL carries
 * it), and set to its catalog and schema, which the URL Liquibase reports may not name.
 */
public final class LiquibaseDataSource {
    /** {@code Scope.child(LiquibaseDataSource.SCOPE_KEY, dataSource, () -> ...update...)}. */
    public static final String SCOPE_KEY = "safemigrate.dataSource";
    static final String DEFAULT_PASSWORD_ENV = "SAFEMIGRATE_PASSWORD";

    private LiquibaseDataSource() {
    }

    static DataSource of(Database database, String passwordEnv) {
        DataSource given = Scope.getCurrentScope().get(SCOPE_KEY, DataSource.class);
        if (given != null) {
            return given;
        }
        Connection liquibase = ((JdbcConnection) database.getConnection()).getUnderlyingConnection();
        String user = database.getConnection().getConnectionUserName();
        if (database instanceof MySQLDatabase || database instanceof MariaDBDatabase) {
            user = user.substring(0, user.lastIndexOf('@') < 0 ? user.length() : user.lastIndexOf('@'));   // MySQL reports user@host
        }
        DataSource urlSource = new DriverManagerDataSource(database.getConnection().getURL(), user, System.getenv(passwordEnv));
        try {
            return sameSchema(urlSource, liquibase.getCatalog(), liquibase.getSchema());
        } catch (SQLException e) {
            throw SafeMigrateException.invalid("cannot read the schema of Liquibase's connection: " + e.getMessage());
        }
    }

    /** {@code source}, with each new connection set to {@code catalog} and {@code schema}. */
    private static DataSource sameSchema(DataSource source, String catalog, String schema) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
            Object result;
            try {
                result = method.invoke(source, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (result instanceof Connection connection) {
                if (catalog != null) {
                    connection.setCatalog(catalog);
                }
                if (schema != null) {
                    connection.setSchema(schema);
                }
            }
            return result;
        });
    }
}
