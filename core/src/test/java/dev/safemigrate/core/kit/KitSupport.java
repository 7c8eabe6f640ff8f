package dev.safemigrate.core.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.SafeMigrate;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.model.Guards;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.model.NullsMode;
import dev.safemigrate.core.model.OrderItem;
import dev.safemigrate.core.model.SqlCheck;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.spi.Step;
import dev.safemigrate.core.steps.AddUniqueStep;
import dev.safemigrate.core.steps.DedupeStep;
import dev.safemigrate.core.steps.Repoint;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * Base of every kit test: a fresh database per test from the dialect's {@link TestDatabase.Provider},
 * the spec's example migration built in code, and snapshots to compare row by row.
 */
public abstract class KitSupport {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    protected static final String UNIQUE_NAME = "uq_ai_action_position";

    protected TestDatabase database;
    protected DataSource dataSource;

    /** The dialect module's databases. */
    protected abstract TestDatabase.Provider provider();

    @BeforeEach
    public void openDatabase(TestInfo info) {
        String method = info.getTestMethod().map(m -> m.getName()).orElse("test");
        String name = ("sm_" + method.substring(0, Math.min(20, method.length())) + "_" + ProcessHandle.current().pid() + "_"
                + COUNTER.incrementAndGet()).toLowerCase(Locale.ROOT);
        database = provider().create(name);
        dataSource = database.dataSource();
    }

    @AfterEach
    public void closeDatabase() {
        database.close();
    }

    /** Drops this test's database and starts over with an empty one called after {@code name}. */
    public void freshDatabase(String name) {
        closeDatabase();
        openDatabase(new NamedTest(name));
    }

    /** A {@link TestInfo} for databases made in the middle of a test. */
    private record NamedTest(String name) implements TestInfo {
        @Override
        public String getDisplayName() {
            return name;
        }

        @Override
        public java.util.Set<String> getTags() {
            return java.util.Set.of();
        }

        @Override
        public java.util.Optional<Class<?>> getTestClass() {
            return java.util.Optional.empty();
        }

        @Override
        public java.util.Optional<java.lang.reflect.Method> getTestMethod() {
            return java.util.Optional.empty();
        }
    }

    public SafeMigrate safeMigrate() {
        return safeMigrate(UnaryOperator.identity());
    }

    public SafeMigrate safeMigrate(UnaryOperator<java.sql.Connection> decorator) {
        return configure(SafeMigrate.builder().dataSource(dataSource).lockTimeout(Duration.ofSeconds(20)).connectionDecorator(decorator)).build();
    }

    /** Stands for a process killed at a phase: not an Exception, so no handler reverses anything. */
    public static final class SimulatedCrash extends Error {
        public SimulatedCrash(String phase) {
            super("simulated crash at " + phase);
        }
    }

    /** A {@link SafeMigrate} whose run dies at {@code phase} (see {@link SimulatedCrash}). */
    public SafeMigrate crashingAt(String phase) {
        return configure(SafeMigrate.builder().dataSource(dataSource).lockTimeout(Duration.ofSeconds(20)).listener(new dev.safemigrate.core.RunListener() {
            @Override
            public void phaseReached(String id, String reached) {
                if (reached.equals(phase)) {
                    throw new SimulatedCrash(phase);
                }
            }
        })).build();
    }

    /**
     * Adjusts every {@link SafeMigrate} the kit builds. A dialect that detection never picks (one whose
     * {@code handles} would clash with another's) is chosen here with {@link SafeMigrate.Builder#dialect}.
     */
    protected SafeMigrate.Builder configure(SafeMigrate.Builder builder) {
        return builder;
    }

    protected static Migration migration(String id, Guards guards, List<SqlCheck> pre, List<SqlCheck> post, Step... steps) {
        return new Migration(id, "kit migration " + id, Integer.toHexString(List.of(steps).hashCode() ^ guards.hashCode()), "kit:" + id,
                guards, List.of(steps), pre, post);
    }

    protected static Migration migration(String id, List<dev.safemigrate.core.model.AllowedTrigger> triggers, Step... steps) {
        Migration plain = migration(id, steps);
        return new Migration(id, plain.description(), plain.checksum(), plain.source(), plain.guards(), plain.steps(), List.of(), List.of(), triggers);
    }

    protected static Migration migration(String id, Step... steps) {
        return migration(id, Guards.DEFAULT, List.of(), List.of(), steps);
    }

    protected static DedupeStep dedupeInvariants(Repoint.OnConflict onConflict, OrderItem... order) {
        return new DedupeStep(TableName.parse("action_invariants"), List.of("action_name", "position"),
                order.length == 0 ? List.of(OrderItem.asc("id")) : List.of(order), NullsMode.DISTINCT, true,
                List.of(new Repoint(TableName.parse("invariant_checks"), "invariant_id", onConflict)));
    }

    protected static AddUniqueStep uniqueInvariants() {
        return new AddUniqueStep(TableName.parse("action_invariants"), UNIQUE_NAME, List.of("action_name", "position"), null);
    }

    /** The spec's example: dedupe action_invariants keeping the lowest id, repoint invariant_checks, add the unique constraint. */
    protected static Migration exampleMigration() {
        return migration("kit_001_invariants", dedupeInvariants(Repoint.OnConflict.FAIL), uniqueInvariants());
    }

    protected List<Map<String, Object>> invariants() throws SQLException {
        return Fixture.rows(dataSource, "action_invariants", "id");
    }

    protected List<Map<String, Object>> checks() throws SQLException {
        return Fixture.rows(dataSource, "invariant_checks", "id");
    }

    /** Every row of every archive table whose name ends with {@code _<source>}, without bookkeeping columns. */
    public List<Map<String, Object>> archived(String source) throws SQLException {
        List<Map<String, Object>> rows = new java.util.ArrayList<>();
        for (String table : archiveTables()) {
            if (table.toLowerCase(Locale.ROOT).endsWith("_" + source)) {
                for (Map<String, Object> row : Fixture.rows(dataSource, quoted(table), "id")) {
                    row.keySet().removeIf(k -> k.startsWith("sm_"));
                    rows.add(row);
                }
            }
        }
        rows.sort(java.util.Comparator.comparing(r -> ((Number) r.get("id")).longValue()));
        return rows;
    }

    /** Archive tables by name as the catalog spells it. */
    public List<String> archiveTables() throws SQLException {
        return Fixture.tableNames(dataSource).stream().filter(t -> t.toLowerCase(Locale.ROOT).startsWith("sm_archive_")).toList();
    }

    private String quoted(String table) throws SQLException {
        try (java.sql.Connection connection = dataSource.getConnection()) {
            String quote = connection.getMetaData().getIdentifierQuoteString();
            return quote + table + quote;
        }
    }

    public long archivedRowCount() throws SQLException {
        long total = 0;
        for (String table : archiveTables()) {
            total += Fixture.count(dataSource, "SELECT COUNT(*) FROM " + quoted(table));
        }
        return total;
    }

    /** The history status of a migration, or null when there is no row (or no history table). */
    public String historyStatus(String id) throws SQLException {
        if (!Fixture.tables(dataSource).contains("safemigrate_history")) {
            return null;
        }
        List<Map<String, Object>> rows = Fixture.query(dataSource, "SELECT status FROM safemigrate_history WHERE id = '" + id + "'");
        return rows.isEmpty() ? null : (String) rows.get(0).get("status");
    }

    /** The dialect detection picks for this test's database. */
    protected dev.safemigrate.core.spi.Dialect detectedDialect() throws SQLException {
        try (java.sql.Connection connection = dataSource.getConnection()) {
            java.sql.DatabaseMetaData meta = connection.getMetaData();
            dev.safemigrate.core.spi.DatabaseInfo info = new dev.safemigrate.core.spi.DatabaseInfo(meta.getDatabaseProductName(),
                    meta.getDatabaseProductVersion(), meta.getDatabaseMajorVersion(), meta.getDatabaseMinorVersion());
            return dev.safemigrate.core.Extensions.load().dialectFor(connection, info, java.util.Optional.empty());
        }
    }

    protected static SafeMigrateException failure(ExitCode expected, Runnable run) {
        SafeMigrateException e = catchThrowableOfType(SafeMigrateException.class, run::run);
        assertThat(e).as("expected a failure with exit code " + expected).isNotNull();
        assertThat(e.exitCode()).as(e.getMessage()).isEqualTo(expected);
        return e;
    }
}
