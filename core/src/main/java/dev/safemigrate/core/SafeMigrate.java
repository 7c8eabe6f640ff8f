package dev.safemigrate.core;

import dev.safemigrate.core.internal.Engine;
import dev.safemigrate.core.internal.Settings;
import dev.safemigrate.core.model.Migration;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/**
 * The library entry point.
 *
 * <pre>{@code
 * SafeMigrate sm = SafeMigrate.builder().dataSource(ds).build();   // dialect detected from the connection
 * MigrationPlan plan = sm.plan(Rules.load(Path.of("migrations")));
 * MigrationReport report = sm.migrate(Rules.load(Path.of("migrations")));
 * }</pre>
 *
 * Every method throws {@link SafeMigrateException}, whose exit code says what state the database is in.
 */
public final class SafeMigrate {
    /** The longest {@link Builder#lockTimeout}: a run waiting longer than a day for a lock is waiting for something that is stuck. */
    public static final Duration MAX_LOCK_TIMEOUT = Duration.ofDays(1);

    private final Engine engine;

    private SafeMigrate(Settings settings) {
        this.engine = new Engine(settings);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What {@link #migrate} would do; changes nothing. */
    public MigrationPlan plan(List<Migration> migrations) {
        return engine.plan(migrations, false);
    }

    /**
     * {@link #plan}, and for each pending migration every statement {@link #migrate} would run, in order, with
     * its transactions and locks ({@link MigrationPlan.Item#statements}). They come from migrate's own code run
     * dry: statements are logged, not sent. Changes nothing.
     */
    public MigrationPlan planWithStatements(List<Migration> migrations) {
        return engine.plan(migrations, true);
    }

    /** Applies the pending migrations in order of id, after completing or reversing any interrupted run. */
    public MigrationReport migrate(List<Migration> migrations) {
        return engine.migrate(migrations);
    }

    /** Checks the invariants the migrations declare against the live data; read-only. */
    public VerifyReport verify(List<Migration> migrations) {
        return engine.verify(migrations);
    }

    /** The history table, which of {@code known} are not applied yet, and which are applied but changed since. */
    public StatusReport status(List<Migration> known) {
        return engine.status(known);
    }

    /**
     * Restores what migration {@code id} deleted or changed, from its archive, and drops what it created,
     * with the same atomicity as {@link #migrate} on this database. Refused (exit 3) if rows inserted
     * since would collide with restored rows. The history then says {@code undone}.
     */
    public UndoReport undo(String id) {
        return engine.undo(id, false);
    }

    /**
     * As {@link #undo(String)}, also when a later applied migration changed the same tables or rows it
     * changed were changed again since: those rows get the values the migration found back (rows whose key
     * was taken since still refuse it). The report's notes say what was overridden.
     */
    public UndoReport undo(String id, boolean force) {
        return engine.undo(id, force);
    }

    /**
     * Gives up the interrupted run of migration {@code id} when {@link #recover} can neither complete nor reverse
     * it: the data is left as it is, the history says {@code failed}, and its archive tables are kept. Returns
     * what stays committed and where the archived rows are.
     */
    public String abandon(String id) {
        return engine.abandon(id);
    }

    /** Completes or reverses interrupted runs; returns one line per run it handled. */
    public List<String> recover() {
        return engine.recover();
    }

    /** Configures a {@link SafeMigrate}; only the data source is required. */
    public static final class Builder {
        private DataSource dataSource;
        private Extensions extensions;
        private Optional<String> dialect = Optional.empty();
        private Duration lockTimeout = Duration.ofSeconds(60);
        private Duration checkTimeout = Duration.ofMinutes(5);
        private UnaryOperator<Connection> connectionDecorator = UnaryOperator.identity();
        private RunListener listener = RunListener.NONE;

        private Builder() {
        }

        public Builder dataSource(DataSource dataSource) {
            this.dataSource = dataSource;
            return this;
        }

        /** The dialects and step types to use; by default those found by {@link Extensions#load()}. */
        public Builder extensions(Extensions extensions) {
            this.extensions = extensions;
            return this;
        }

        /** Use this dialect instead of detecting it from the connection. */
        public Builder dialect(String name) {
            this.dialect = Optional.of(name);
            return this;
        }

        /** How long to wait for the migration lock and for table locks (default 60 s, at most {@link #MAX_LOCK_TIMEOUT}). */
        public Builder lockTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.compareTo(MAX_LOCK_TIMEOUT) > 0) {
                throw SafeMigrateException.invalid("the lock timeout must be between 0 and " + MAX_LOCK_TIMEOUT.toSeconds()
                        + " seconds (one day), not " + timeout);
            }
            this.lockTimeout = timeout;
            return this;
        }

        /**
         * How long one precondition or postcondition may run (default 5 min, at least 1 s) before it is
         * cancelled and counted as failed: inside a run it holds the run's table locks meanwhile.
         */
        public Builder checkTimeout(Duration timeout) {
            if (timeout.toSeconds() < 1) {
                throw SafeMigrateException.invalid("the check timeout must be at least 1 second, not " + timeout);
            }
            this.checkTimeout = timeout;
            return this;
        }

        /**
         * A plug-in point: wraps each connection a run sends its statements on (not a second connection a
         * dialect's migration lock may hold), e.g. to log, trace or time them; the test suites use it to make
         * the N-th statement fail. The wrapper must pass every call through; an error it throws fails the run as
         * the database's own error would. Default: none.
         */
        public Builder connectionDecorator(UnaryOperator<Connection> decorator) {
            this.connectionDecorator = decorator;
            return this;
        }

        public Builder listener(RunListener listener) {
            this.listener = listener;
            return this;
        }

        public SafeMigrate build() {
            Objects.requireNonNull(dataSource, "dataSource");
            return new SafeMigrate(new Settings(dataSource, extensions == null ? Extensions.load() : extensions, dialect, lockTimeout,
                    checkTimeout, connectionDecorator, listener));
        }
    }
}
