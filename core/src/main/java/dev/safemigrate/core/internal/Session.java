package dev.safemigrate.core.internal;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.spi.Catalog;
import dev.safemigrate.core.spi.DatabaseInfo;
import dev.safemigrate.core.spi.Dialect;
import dev.safemigrate.core.spi.MigrationLock;
import dev.safemigrate.core.spi.Strategy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import org.apache.ibatis.builder.xml.XMLMapperBuilder;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.apache.ibatis.transaction.managed.ManagedTransactionFactory;

/** One connection to the database with its dialect, catalog, journal and migration lock. */
final class Session implements AutoCloseable {
    private static final String MAPPER = "dev/safemigrate/core/internal/JournalMapper.xml";

    final Settings settings;
    final Connection connection;
    final Dialect dialect;
    final DatabaseInfo info;
    final Catalog catalog;
    final JdbcDb db;
    final Journal journal;
    /** The execution strategies available, by name. */
    final java.util.Map<String, Strategy> strategies;
    /** The database folds unquoted names to upper case (H2), so names we create follow suit and need no quoting by users. */
    final boolean upperCaseIdentifiers;

    private Session(Settings settings, Connection connection, java.util.Map<String, SqlSessionFactory> factories) throws SQLException {
        this.settings = settings;
        this.connection = connection;
        DatabaseMetaData meta = connection.getMetaData();
        this.info = new DatabaseInfo(meta.getDatabaseProductName(), meta.getDatabaseProductVersion(),
                meta.getDatabaseMajorVersion(), meta.getDatabaseMinorVersion());
        this.dialect = settings.extensions().dialectFor(connection, info, settings.dialectName());
        this.strategies = settings.extensions().strategies();
        this.upperCaseIdentifiers = meta.storesUpperCaseIdentifiers();
        this.catalog = dialect.catalog(connection);
        this.db = new JdbcDb(connection);
        this.journal = new Journal(factories.computeIfAbsent(dialect.name(), name -> sessionFactory(settings, dialect)), connection);
    }

    /** Opens a session; {@code factories} caches the MyBatis configuration of each dialect, which is slow to build. */
    static Session open(Settings settings, java.util.Map<String, SqlSessionFactory> factories) {
        Connection raw;
        try {
            raw = settings.dataSource().getConnection();
        } catch (SQLException e) {
            throw new SafeMigrateException(ExitCode.INVALID, "cannot connect to the database: " + e.getMessage(), e);
        }
        try {
            raw.setAutoCommit(true);
            return new Session(settings, settings.connectionDecorator().apply(raw), factories);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(raw);
            if (e instanceof SafeMigrateException sme) {
                throw sme;
            }
            throw new SafeMigrateException(ExitCode.FAILED_RESTORED, "cannot read the database catalog: " + e.getMessage(), e);
        }
    }

    private static SqlSessionFactory sessionFactory(Settings settings, Dialect dialect) {
        ManagedTransactionFactory transactions = new ManagedTransactionFactory();
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("closeConnection", "false");
        transactions.setProperties(properties);
        Configuration configuration = new Configuration(new Environment("safemigrate", transactions, settings.dataSource()));
        configuration.getTypeHandlerRegistry().register(java.time.Instant.class, new HistoryTimeTypeHandler(dialect));
        try (InputStream xml = Session.class.getClassLoader().getResourceAsStream(MAPPER)) {
            new XMLMapperBuilder(xml, configuration, MAPPER, configuration.getSqlFragments()).parse();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new SqlSessionFactoryBuilder().build(configuration);
    }

    /** Creates the history and journal tables if they are missing, with the dialect's own statements. */
    void createBookkeepingTables() throws SQLException {
        for (String statement : dialect.bookkeepingTables()) {
            db.execute(statement);
        }
    }

    /** A second connection to the database, decorated as the run's own. */
    Connection openConnection() throws SQLException {
        return settings.connectionDecorator().apply(settings.dataSource().getConnection());
    }

    /** Takes the migration lock or fails with exit code 6. */
    MigrationLock.Held lock() throws SQLException {
        MigrationLock.Held held = dialect.migrationLock().acquire(connection, this::extraConnection, settings.lockTimeout());
        if (held == null) {
            throw new SafeMigrateException(ExitCode.LOCKED, "another safemigrate run holds the migration lock on this database; gave up after "
                    + settings.lockTimeout().toSeconds() + " s (--lock-timeout)");
        }
        return held;
    }

    private Connection extraConnection() {
        try {
            return settings.dataSource().getConnection();
        } catch (SQLException e) {
            throw new SafeMigrateException(ExitCode.FAILED_RESTORED, "cannot open a second connection for the lock: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        closeQuietly(connection);
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // Closing is best effort: a broken connection has already released what it held.
        }
    }
}
