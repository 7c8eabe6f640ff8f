package dev.safemigrate.core.kit;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * The SQL a kit needs that the three databases spell differently: generated and identity columns, and
 * triggers (PostgreSQL through a function, MySQL inline, H2 through a Java class of {@link H2Triggers}).
 */
public enum Flavor {
    H2, POSTGRES, MYSQL;

    public static Flavor of(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            return product.contains("postgres") ? POSTGRES : product.contains("mysql") || product.contains("mariadb") ? MYSQL : H2;
        }
    }

    /** An integer primary key whose values the database hands out and refuses to be given (MySQL: auto-increment). */
    public String identityAlways(String column) {
        return this == MYSQL ? column + " INTEGER NOT NULL AUTO_INCREMENT" : column + " INTEGER GENERATED ALWAYS AS IDENTITY";
    }

    /** A column the database computes from {@code expression} and stores. */
    public String generatedStored(String column, String type, String expression) {
        return switch (this) {
            case POSTGRES -> column + " " + type + " GENERATED ALWAYS AS (" + expression + ") STORED";
            case MYSQL -> column + " " + type + " AS (" + expression + ") STORED";
            case H2 -> column + " " + type + " GENERATED ALWAYS AS (" + expression + ")";
        };
    }

    /** A nullable column of raw bytes, and a literal of it from hex digits. */
    public String binaryType() {
        return this == POSTGRES ? "BYTEA" : "VARBINARY(16)";
    }

    public String binaryLiteral(String hex) {
        return this == POSTGRES ? "'\\x" + hex + "'::bytea" : "X'" + hex + "'";
    }

    /**
     * Text types whose equality is not byte equality, each the database's own: case-insensitive or binary
     * collations (MySQL, PostgreSQL's "C"), H2's case-insensitive type, blank-padded CHAR.
     */
    public List<String> oddTextTypes() {
        return switch (this) {
            case POSTGRES -> List.of("VARCHAR(40) COLLATE \"C\"", "CHAR(8)", "TEXT");
            case MYSQL -> List.of("VARCHAR(40) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin", "VARCHAR(40) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
                    "CHAR(8)", "VARCHAR(40) CHARACTER SET latin1 COLLATE latin1_general_cs");
            case H2 -> List.of("VARCHAR_IGNORECASE(40)", "CHAR(8)", "CHARACTER VARYING(40)");
        };
    }

    /** A trigger after each deleted row of {@code table} that deletes the rows of {@code other} whose {@code column} was its id. */
    public List<String> afterDeleteCascade(String trigger, String table, String other, String column) {
        return switch (this) {
            case POSTGRES -> List.of("CREATE FUNCTION " + trigger + "_fn() RETURNS trigger AS $$ BEGIN DELETE FROM " + other + " WHERE " + column
                            + " = OLD.id; RETURN OLD; END $$ LANGUAGE plpgsql",
                    "CREATE TRIGGER " + trigger + " AFTER DELETE ON " + table + " FOR EACH ROW EXECUTE FUNCTION " + trigger + "_fn()");
            case MYSQL -> List.of("CREATE TRIGGER " + trigger + " AFTER DELETE ON " + table + " FOR EACH ROW DELETE FROM " + other + " WHERE "
                    + column + " = OLD.id");
            case H2 -> List.of("CREATE TRIGGER " + trigger + " AFTER DELETE ON " + table + " FOR EACH ROW CALL '"
                    + H2Triggers.DeleteReferencing.class.getName() + "'");
        };
    }

    /** A trigger before each updated row of {@code table} that adds one to its {@code version} column. */
    public List<String> beforeUpdateBump(String trigger, String table) {
        return switch (this) {
            case POSTGRES -> List.of("CREATE FUNCTION " + trigger + "_fn() RETURNS trigger AS $$ BEGIN NEW.version := OLD.version + 1;"
                            + " RETURN NEW; END $$ LANGUAGE plpgsql",
                    "CREATE TRIGGER " + trigger + " BEFORE UPDATE ON " + table + " FOR EACH ROW EXECUTE FUNCTION " + trigger + "_fn()");
            case MYSQL -> List.of("CREATE TRIGGER " + trigger + " BEFORE UPDATE ON " + table + " FOR EACH ROW SET NEW.version = OLD.version + 1");
            case H2 -> List.of("CREATE TRIGGER " + trigger + " BEFORE UPDATE ON " + table + " FOR EACH ROW CALL '"
                    + H2Triggers.BumpVersion.class.getName() + "'");
        };
    }
}
