package dev.safemigrate.core.internal;

import dev.safemigrate.core.spi.Dialect;
import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import org.apache.ibatis.type.BaseTypeHandler;
import org.apache.ibatis.type.JdbcType;

/** History times, bound the dialect's way ({@link Dialect#bindHistoryTime}) and read as JDBC timestamps. */
final class HistoryTimeTypeHandler extends BaseTypeHandler<Instant> {
    private final Dialect dialect;

    HistoryTimeTypeHandler(Dialect dialect) {
        this.dialect = dialect;
    }

    @Override
    public void setNonNullParameter(PreparedStatement ps, int i, Instant parameter, JdbcType jdbcType) throws SQLException {
        dialect.bindHistoryTime(ps, i, parameter);
    }

    @Override
    public Instant getNullableResult(ResultSet rs, String columnName) throws SQLException {
        return instant(rs.getTimestamp(columnName));
    }

    @Override
    public Instant getNullableResult(ResultSet rs, int columnIndex) throws SQLException {
        return instant(rs.getTimestamp(columnIndex));
    }

    @Override
    public Instant getNullableResult(CallableStatement cs, int columnIndex) throws SQLException {
        return instant(cs.getTimestamp(columnIndex));
    }

    private static Instant instant(Timestamp stored) {
        return stored == null ? null : stored.toInstant();
    }
}
