package dev.safemigrate.dialect.postgres;

import dev.safemigrate.core.spi.Dialect;
import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.spi.TableLocks;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code LOCK TABLE ... IN SHARE ROW EXCLUSIVE MODE}: blocks INSERT, UPDATE and DELETE from other
 * sessions (and another run's lock of the same mode) but lets readers through. Tables are locked in
 * one statement, sorted by schema and name, so two runs never take them in opposite orders. The
 * locks belong to the run's transaction and end with its commit or rollback; waiting is bounded by
 * {@code lock_timeout}, which stays set for the rest of the transaction (the DDL waits no longer either).
 * User checks need no lock: PostgreSQL reads any table while others are locked.
 */
final class PostgresTableLocks implements TableLocks {
    private final Dialect dialect;

    PostgresTableLocks(Dialect dialect) {
        this.dialect = dialect;
    }

    @Override
    public Release lock(Connection connection, List<ResolvedTable> written, List<ResolvedTable> read, List<String> checks, Duration timeout)
            throws SQLException {
        if (written.isEmpty()) {
            return () -> { };
        }
        try (Statement statement = connection.createStatement()) {
            String defaultSchema;
            try (ResultSet rs = statement.executeQuery("SELECT current_schema()")) {
                rs.next();
                defaultSchema = rs.getString(1);
            }
            List<String[]> names = new ArrayList<>();
            for (ResolvedTable table : written) {
                names.add(new String[] {table.schema() == null ? defaultSchema : table.schema(), table.name()});
            }
            names.sort(Comparator.<String[], String>comparing(n -> n[0]).thenComparing(n -> n[1]));
            String tables = names.stream().distinct().map(n -> dialect.quote(n[0]) + "." + dialect.quote(n[1])).distinct()
                    .collect(Collectors.joining(", "));
            statement.execute("SET LOCAL lock_timeout = '" + Math.max(1, timeout.toMillis()) + "ms'");
            statement.execute("LOCK TABLE " + tables + " IN SHARE ROW EXCLUSIVE MODE");
        }
        return () -> { };
    }
}
