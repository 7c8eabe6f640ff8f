package dev.safemigrate.core.internal;

import dev.safemigrate.core.spi.Db;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link Db} over the run's connection; logs every statement at debug level. */
final class JdbcDb implements Db {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcDb.class);
    private final Connection connection;

    JdbcDb(Connection connection) {
        this.connection = connection;
    }

    @Override
    public long queryLong(String sql) throws SQLException {
        LOG.debug("{}", sql);
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    @Override
    public List<List<String>> sample(String sql, int limit) throws SQLException {
        LOG.debug("{}", sql);
        List<List<String>> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement()) {
            statement.setMaxRows(limit);
            try (ResultSet rs = statement.executeQuery(sql)) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next() && rows.size() < limit) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= columns; i++) {
                        row.add(String.valueOf(rs.getObject(i)));
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    @Override
    public long update(String sql) throws SQLException {
        LOG.debug("{}", sql);
        try (Statement statement = connection.createStatement()) {
            return statement.executeLargeUpdate(sql);
        }
    }

    @Override
    public void execute(String sql) throws SQLException {
        LOG.debug("{}", sql);
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
