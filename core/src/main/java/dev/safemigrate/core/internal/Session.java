package dev.safemigrate.core.internal;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.RunListener;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.jdbc.OwnTable;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.spi.Catalog;
import dev.safemigrate.core.spi.DatabaseInfo;
import dev.safemigrate.core.spi.Db;
import dev.safemigrate.core.spi.Dialect;
import dev.safemigrate.core.spi.MigrationLock;
import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.spi.Strategy;
import dev.safemigrate.core.sql.BookkeepingSql;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    final Db db;
    final Journal journal;
    /** In a dry run ({@code plan --sql}): what the run would execute; null in a real session. */
    final StatementLog dryRun;
    /** The tables a dry run would have created by now, which the catalog does not know. */
    private final Map<String, ResolvedTable> dryRunTables = new HashMap<>();
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
        // Made with CREATE TABLE IF NOT EXISTS: a user's table of either name would be read and written as safemigrate's.
        OwnTable.requireColumns(catalog, "safemigrate_history", BookkeepingSql.HISTORY_COLUMNS, "the history of its runs");
        OwnTable.requireColumns(catalog, "safemigrate_journal", BookkeepingSql.JOURNAL_COLUMNS, "what each run must remember to finish or"
                + " reverse itself");
        this.db = new JdbcDb(connection);
        this.journal = new Journal(factories.computeIfAbsent(dialect.name(), name -> sessionFactory(settings, dialect)), connection);
        this.dryRun = null;
    }

    /** A dry run of {@code real} (see {@link #dryRun()}); its listener hears nothing. */
    private Session(Session real, StatementLog log, boolean historyExists) {
        this.settings = new Settings(real.settings.dataSource(), real.settings.extensions(), real.settings.dialectName(),
                real.settings.lockTimeout(), real.settings.checkTimeout(), real.settings.connectionDecorator(), RunListener.NONE);
        this.connection = DryRunConnection.over(real.connection, log);
        this.dialect = real.dialect;
        this.info = real.info;
        this.catalog = real.catalog;
        this.db = new DryRunDb(log);
        this.journal = new DryRunJournal(real.journal, historyExists, log);
        this.strategies = real.strategies;
        this.upperCaseIdentifiers = real.upperCaseIdentifiers;
        this.dryRun = log;
    }

    /**
     * This session as a dry run, for {@code plan --sql}: the same dialect, catalog and code paths, but every
     * statement and transaction boundary is logged in {@code log} instead of executed, and bookkeeping rows
     * are logged as notes (see {@link DryRunConnection}, {@link DryRunDb}, {@link DryRunJournal}). Closing it
     * leaves this session's connection open.
     */
    Session dryRun(StatementLog log, boolean historyExists) {
        Session dry = new Session(this, log, historyExists);
        for (String table : List.of("safemigrate_history", "safemigrate_journal")) {
            dry.dryRunTables.putIfAbsent(key(table), new ResolvedTable(null, key(table), List.of(), List.of()));
        }
        return dry;
    }

    /** In a dry run, which shows the run that succeeds: where the run fails, the statements shown end. */
    void endDryRun(Exception cause) {
        if (dryRun != null) {
            dryRun.stop(MigrationRun.describe(cause));
        }
    }

    /** A table as the catalog has it, or as a dry run would have created it. */
    Optional<ResolvedTable> table(TableName name) throws SQLException {
        Optional<ResolvedTable> known = catalog.table(name);
        return known.isPresent() || name.schema().isPresent() ? known : Optional.ofNullable(dryRunTables.get(key(name.name())));
    }

    boolean tableExists(String name) throws SQLException {
        return catalog.tableExists(name) || dryRunTables.containsKey(key(name));
    }

    /**
     * The table just created under {@code name}, read from the catalog; in a dry run, where nothing was created,
     * {@code wouldBe} (and later lookups find it).
     */
    ResolvedTable created(String name, ResolvedTable wouldBe) throws SQLException {
        if (dryRun != null) {
            dryRunTables.put(key(name), wouldBe);
            return wouldBe;
        }
        return catalog.table(TableName.parse(name)).orElseThrow();
    }

    private String key(String name) {
        return upperCaseIdentifiers ? name.toUpperCase(java.util.Locale.ROOT) : name;
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
        if (dryRun != null) {
            String why = "plan --sql cannot show a run that works on a second connection (as the shadow swap does)";
            dryRun.stop(why);
            throw new SQLException(why);
        }
        return settings.connectionDecorator().apply(settings.dataSource().getConnection());
    }

    /** A connection beside the run's, not decorated; null in a dry run (see {@link dev.safemigrate.core.spi.Run#openMonitorConnection}). */
    Connection openMonitorConnection() throws SQLException {
        return dryRun != null ? null : settings.dataSource().getConnection();
    }

    /** Takes the migration lock or fails with exit code 6, or 1 when the thread was interrupted while it waited. */
    MigrationLock.Held lock() throws SQLException {
        MigrationLock.Held held;
        try {
            held = dialect.migrationLock().acquire(connection, this::extraConnection, settings.lockTimeout());
        } catch (SQLException | RuntimeException e) {
            requireNotInterrupted(e);
            throw e;
        }
        if (held == null) {
            requireNotInterrupted(null);
            String holder = dialect.migrationLock().holder(connection).map(h -> " (" + h + ")").orElse("");
            throw new SafeMigrateException(ExitCode.LOCKED, "another safemigrate run holds the migration lock on this database" + holder
                    + "; gave up after " + settings.lockTimeout().toSeconds() + " s (--lock-timeout)");
        }
        return held;
    }

    /**
     * A wait for the lock that ended ({@code failure}, or null for no lock) because the thread was interrupted says so:
     * neither "gave up after the lock timeout" (exit 6) nor a database error would be true.
     */
    private static void requireNotInterrupted(Exception failure) {
        if (Thread.currentThread().isInterrupted()) {
            throw new SafeMigrateException(ExitCode.FAILED_RESTORED, "interrupted while waiting for the migration lock, which another safemigrate"
                + " run holds on this database; nothing was changed", failure);
        }
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
        if (dryRun == null) {
            closeQuietly(connection);
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // Closing is best effort: a broken connection has already released what it held.
        }
    }
}
