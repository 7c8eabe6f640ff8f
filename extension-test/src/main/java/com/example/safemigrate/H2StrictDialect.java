package com.example.safemigrate;

import com.google.inject.Inject;
import dev.safemigrate.core.spi.Catalog;
import dev.safemigrate.core.spi.CheckPolicy;
import dev.safemigrate.core.spi.DatabaseInfo;
import dev.safemigrate.core.spi.Dialect;
import dev.safemigrate.core.spi.MigrationLock;
import dev.safemigrate.core.spi.TableLocks;
import dev.safemigrate.core.sql.BookkeepingSql;
import dev.safemigrate.core.sql.Sql;
import dev.safemigrate.dialect.h2.H2Dialect;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * H2 2.x opened in {@code MODE=STRICT}, which accepts only standard SQL. Everything the database does is
 * H2's, so this wraps {@link H2Dialect} (injected by Guice) and keeps its own name; its own parts are the
 * probe that tells a strict-mode database from any other H2 one, the bookkeeping tables in standard types,
 * and the standard statements ({@link Sql#standard}), which strict mode accepts. A dialect for another
 * compatibility mode would pass its own {@code Sql} parts where that mode rejects the standard ones.
 */
public final class H2StrictDialect implements Dialect {
    public static final String NAME = "h2-strict";

    private final H2Dialect h2;
    private final Sql sql = Sql.standard(this::quote);

    @Inject
    H2StrictDialect(H2Dialect h2) {
        this.h2 = h2;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The driver says "H2" whatever the mode, so the live setting decides; it outranks the {@code h2} dialect, which matches too. */
    @Override
    public boolean matches(Connection connection, DatabaseInfo info) throws SQLException {
        if (!h2.matches(connection, info)) {
            return false;
        }
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'MODE'")) {
            return rs.next() && "STRICT".equals(rs.getString(1));
        }
    }

    @Override
    public int specificity() {
        return 10;
    }

    @Override
    public void checkSupported(DatabaseInfo info) {
        h2.checkSupported(info);
    }

    @Override
    public boolean supportsTransactionalDdl() {
        return h2.supportsTransactionalDdl();
    }

    @Override
    public boolean supportsNullsNotDistinct(DatabaseInfo info) {
        return h2.supportsNullsNotDistinct(info);
    }

    @Override
    public String quote(String identifier) {
        return h2.quote(identifier);
    }

    @Override
    public Catalog catalog(Connection connection) throws SQLException {
        return h2.catalog(connection);
    }

    @Override
    public MigrationLock migrationLock() {
        return h2.migrationLock();
    }

    @Override
    public TableLocks tableLocks() {
        return h2.tableLocks();
    }

    /** The same columns as every dialect's, in the SQL standard's own type names. */
    @Override
    public List<String> bookkeepingTables() {
        return BookkeepingSql.tables("CHARACTER VARYING(128)", "CHARACTER LARGE OBJECT", "TIMESTAMP(6)", "");
    }

    @Override
    public Sql sql() {
        return sql;
    }

    /** H2's own: the mode changes the syntax H2 accepts, not what its functions do. */
    @Override
    public CheckPolicy checkPolicy() {
        return h2.checkPolicy();
    }
}
