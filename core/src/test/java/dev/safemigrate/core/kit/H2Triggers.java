package dev.safemigrate.core.kit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.h2.api.Trigger;

/** The H2 side of {@link Flavor}'s triggers: H2 runs a Java class where the other databases run SQL. */
public final class H2Triggers {
    private H2Triggers() {
    }

    /** After a deleted author row: deletes its notes ({@code author_note.author_id}), as the kits' trigger tests expect. */
    public static final class DeleteReferencing implements Trigger {
        @Override
        public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM author_note WHERE author_id = ?")) {
                delete.setObject(1, oldRow[0]);
                delete.executeUpdate();
            }
        }
    }

    /** Before an updated row: its {@code version}, the last column, goes up by one. */
    public static final class BumpVersion implements Trigger {
        @Override
        public void fire(Connection connection, Object[] oldRow, Object[] newRow) {
            newRow[newRow.length - 1] = ((Number) oldRow[oldRow.length - 1]).intValue() + 1;
        }
    }
}
