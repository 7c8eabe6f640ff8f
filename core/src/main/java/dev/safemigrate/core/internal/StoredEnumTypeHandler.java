package dev.safemigrate.core.internal;

import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Locale;
import org.apache.ibatis.type.BaseTypeHandler;
import org.apache.ibatis.type.JdbcType;

/** Stores an enum as its lower-case name ({@code in_progress}, {@code restore_repeated}), as the bookkeeping tables hold them. */
public final class StoredEnumTypeHandler<E extends Enum<E>> extends BaseTypeHandler<E> {
    private final Class<E> type;

    public StoredEnumTypeHandler(Class<E> type) {
        this.type = type;
    }

    @Override
    public void setNonNullParameter(PreparedStatement ps, int i, E parameter, JdbcType jdbcType) throws SQLException {
        ps.setString(i, parameter.name().toLowerCase(Locale.ROOT));
    }

    @Override
    public E getNullableResult(ResultSet rs, String columnName) throws SQLException {
        return of(rs.getString(columnName));
    }

    @Override
    public E getNullableResult(ResultSet rs, int columnIndex) throws SQLException {
        return of(rs.getString(columnIndex));
    }

    @Override
    public E getNullableResult(CallableStatement cs, int columnIndex) throws SQLException {
        return of(cs.getString(columnIndex));
    }

    private E of(String stored) {
        return stored == null ? null : Arrays.stream(type.getEnumConstants()).filter(e -> e.name().equalsIgnoreCase(stored)).findFirst()
                .orElseThrow(() -> new IllegalStateException("unknown " + type.getSimpleName() + " '" + stored + "' in the bookkeeping tables"));
    }
}
