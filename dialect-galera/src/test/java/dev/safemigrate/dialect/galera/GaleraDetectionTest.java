package dev.safemigrate.dialect.galera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.Extensions;
import dev.safemigrate.core.MigrationPlan;
import dev.safemigrate.core.SafeMigrate;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.kit.GaleraCluster;
import dev.safemigrate.core.kit.Servers;
import dev.safemigrate.core.spi.DatabaseInfo;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A cluster node gets the galera dialect by probing, a standalone MariaDB the mysql one; what cannot be made safe
 * on the cluster is refused by {@code plan} (exit 3) before any change, and so is the mysql dialect asked for by name.
 */
class GaleraDetectionTest {
    private final GaleraCluster cluster = GaleraCluster.get();

    private static String detected(Connection connection) throws Exception {
        DatabaseMetaData meta = connection.getMetaData();
        DatabaseInfo info = new DatabaseInfo(meta.getDatabaseProductName(), meta.getDatabaseProductVersion(), meta.getDatabaseMajorVersion(),
                meta.getDatabaseMinorVersion());
        return Extensions.load().dialectFor(connection, info, Optional.empty()).name();
    }

    @Test
    void everyNodeIsGaleraAndAStandaloneMariaDbIsMysql() throws Exception {
        for (int node = 1; node <= GaleraCluster.NODES; node++) {
            try (Connection connection = cluster.connect(node)) {
                assertThat(detected(connection)).as("node %d", node).isEqualTo("galera");
            }
        }
        Optional<String> standalone = Servers.reachable("SAFEMIGRATE_TEST_MYSQL_URL", "jdbc:mysql://127.0.0.1:3306/test", "root", "");
        if (standalone.isPresent()) {
            try (Connection connection = DriverManager.getConnection(standalone.get(), "root", "")) {
                assertThat(detected(connection)).isEqualTo("mysql");
            }
            planOnStandaloneAsGalera(standalone.get());
        }
    }

    /** {@code --dialect galera} on a standalone server: {@code plan} refuses, saying it is not a Galera node. */
    private static void planOnStandaloneAsGalera(String url) throws Exception {
        String database = "sm_galera_by_name_" + ProcessHandle.current().pid();
        try (Connection connection = DriverManager.getConnection(url, "root", ""); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
            try {
                statement.execute("CREATE TABLE " + database + ".items (id BIGINT NOT NULL PRIMARY KEY, k INT NOT NULL, v VARCHAR(40) NOT NULL)");
                com.mysql.cj.jdbc.MysqlDataSource dataSource = new com.mysql.cj.jdbc.MysqlDataSource();
                dataSource.setURL(url.substring(0, url.lastIndexOf('/') + 1) + database);
                dataSource.setUser("root");
                SafeMigrateException refused = catchThrowableOfType(SafeMigrateException.class,
                        () -> SafeMigrate.builder().dataSource(dataSource).dialect("galera").build().plan(List.of(Items.migration("by_name_001"))));
                assertThat(refused.exitCode()).isEqualTo(ExitCode.REFUSED);
                assertThat(refused.getMessage()).contains("galera_fenced: this server is not a Galera node");
            } finally {
                statement.execute("DROP DATABASE " + database);
            }
        }
    }

    @Test
    void planChoosesTheFencedStrategyAndRefusesWhatCannotBeMadeSafe() throws Exception {
        try (GaleraCluster.Database db = cluster.createDatabase("sm_galera_detect")) {
            DataSource one = Items.seeded(db, 1_000);
            MigrationPlan plan = SafeMigrate.builder().dataSource(one).build().plan(List.of(Items.migration("detect_001")));
            assertThat(plan.migrations().get(0).strategy()).isEqualTo(GaleraFencedStrategy.NAME);
            assertThat(plan.migrations().get(0).otherStrategies()).anySatisfy(n -> assertThat(n).startsWith("compensating:").contains("connected node only"));

            SafeMigrateException rsu = catchThrowableOfType(SafeMigrateException.class, () -> SafeMigrate.builder().dataSource(one)
                    .connectionDecorator(c -> inSession(c, "SET SESSION wsrep_OSU_method = 'RSU'")).build().plan(List.of(Items.migration("detect_001"))));
            assertThat(rsu.exitCode()).isEqualTo(ExitCode.REFUSED);
            assertThat(rsu.getMessage()).contains("no strategy can run it here").contains("wsrep_OSU_method is 'RSU'");

            Fixture.execute(one, "ALTER TABLE items ENGINE = MyISAM");
            SafeMigrateException myIsam = catchThrowableOfType(SafeMigrateException.class,
                    () -> SafeMigrate.builder().dataSource(one).build().plan(List.of(Items.migration("detect_001"))));
            assertThat(myIsam.exitCode()).isEqualTo(ExitCode.REFUSED);
            assertThat(myIsam.getMessage()).contains("items is not an InnoDB table (engine MyISAM");
        }
    }

    @Test
    void theMysqlDialectAskedForByNameRefusesANodeBeforeAnyChange() throws Exception {
        try (GaleraCluster.Database db = cluster.createDatabase("sm_galera_as_mysql")) {
            DataSource one = Items.seeded(db, 1_000);
            String before = Items.fingerprint(one);
            SafeMigrateException refused = catchThrowableOfType(SafeMigrateException.class, () -> SafeMigrate.builder().dataSource(one)
                    .dialect("mysql").lockTimeout(Duration.ofSeconds(10)).build().migrate(List.of(Items.migration("as_mysql_001"))));
            assertThat(refused.exitCode()).isEqualTo(ExitCode.REFUSED);
            assertThat(refused.getMessage()).contains("node of a Galera cluster").contains("--dialect galera");
            assertThat(Items.fingerprint(one)).isEqualTo(before);
            assertThat(Fixture.tableNames(one)).noneMatch(t -> t.startsWith("sm_archive_"));
        }
    }

    private static Connection inSession(Connection connection, String sql) {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
            return connection;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
