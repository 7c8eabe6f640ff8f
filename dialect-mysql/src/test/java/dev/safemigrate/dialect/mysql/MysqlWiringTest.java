package dev.safemigrate.dialect.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safemigrate.core.Extensions;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.spi.DatabaseInfo;
import dev.safemigrate.core.spi.Dialect;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The module is found by ServiceLoader and wired by Guice, with no database; version detection. */
class MysqlWiringTest {
    private static final DatabaseInfo MARIADB = new DatabaseInfo("MySQL", "5.5.5-10.11.19-MariaDB-0+deb12u1", 5, 5);

    @Test
    void dialectIsFoundAndChosenForMysqlAndMariaDb() throws Exception {
        Extensions extensions = Extensions.load();
        assertThat(extensions.dialects()).containsKey("mysql");
        assertThat(extensions.dialectFor(null, new DatabaseInfo("MySQL", "8.0.36", 8, 0), Optional.empty()).name()).isEqualTo("mysql");
        assertThat(extensions.dialectFor(null, MARIADB, Optional.empty()).name()).isEqualTo("mysql");
    }

    @Test
    void versionsBelowWindowFunctionsAreRefused() {
        Dialect dialect = new MysqlDialect();
        dialect.checkSupported(MARIADB);
        dialect.checkSupported(new DatabaseInfo("MySQL", "8.0.36", 8, 0));
        dialect.checkSupported(new DatabaseInfo("MariaDB", "11.4.2-MariaDB", 11, 4));
        assertThatThrownBy(() -> dialect.checkSupported(new DatabaseInfo("MySQL", "5.7.44", 5, 7)))
                .isInstanceOf(SafeMigrateException.class).hasMessageContaining("MySQL 8.0");
        assertThatThrownBy(() -> dialect.checkSupported(new DatabaseInfo("MySQL", "5.5.5-10.1.48-MariaDB", 5, 5)))
                .isInstanceOf(SafeMigrateException.class).hasMessageContaining("MariaDB 10.2");
    }

    /**
     * Online mode bounds its lock waits with statements only MariaDB has (WAIT n from 10.3, SET STATEMENT, KILL QUERY ID):
     * plan refuses it on MySQL and older MariaDB, naming the server, instead of a run that fails on its first statement.
     */
    @Test
    void onlineModeIsRefusedOnMysqlAndOnMariaDbBefore10Point3() {
        var online = new MysqlDialect().onlineDdl().orElseThrow();
        var table = new dev.safemigrate.core.spi.ResolvedTable(null, "items", java.util.List.of(), java.util.List.of("id"));
        assertThat(online.refusal(table, MARIADB)).isEmpty();
        assertThat(online.refusal(table, new DatabaseInfo("MariaDB", "11.4.2-MariaDB", 11, 4))).isEmpty();
        assertThat(online.refusal(table, new DatabaseInfo("MySQL", "8.0.36", 8, 0))).get().asString()
                .contains("needs MariaDB 10.3 or later").contains("8.0.36");
        assertThat(online.refusal(table, new DatabaseInfo("MySQL", "5.5.5-10.2.44-MariaDB", 5, 5))).get().asString()
                .contains("needs MariaDB 10.3 or later").contains("10.2.44");
    }

    /** A version string without a number (a proxy's, say) is judged by the driver's major and minor version. */
    @Test
    void aVersionStringWithoutANumberFallsBackToTheDriversVersion() {
        Dialect dialect = new MysqlDialect();
        dialect.checkSupported(new DatabaseInfo("MySQL", "proxy", 8, 0));
        assertThatThrownBy(() -> dialect.checkSupported(new DatabaseInfo("MySQL", "proxy", 5, 7)))
                .isInstanceOf(SafeMigrateException.class).hasMessageContaining("MySQL 8.0");
    }

    @Test
    void quotesWithBackticks() {
        assertThat(new MysqlDialect().quote("we`ird")).isEqualTo("`we``ird`");
    }

    @Test
    void keyLengthCountsBytesPerCharacterOfTheCollation() {
        assertThat(KeyLength.bytes("varchar(1000)", "utf8mb4_general_ci")).isEqualTo(4000);
        assertThat(KeyLength.bytes("varchar(100)", "latin1_swedish_ci")).isEqualTo(100);
        assertThat(KeyLength.bytes("int(11)", null)).isEqualTo(4);
    }
}
