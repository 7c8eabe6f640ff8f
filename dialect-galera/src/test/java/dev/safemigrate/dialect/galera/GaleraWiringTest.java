package dev.safemigrate.dialect.galera;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.Extensions;
import dev.safemigrate.core.spi.DatabaseInfo;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The module is found by ServiceLoader and wired by Guice, with no database; what makes a node a ready Galera node. */
class GaleraWiringTest {
    private static final Map<String, String> SYNCED_NODE = Map.of("wsrep_on", "ON", "wsrep_provider", "/usr/lib/galera/libgalera_smm.so",
            "wsrep_cluster_status", "Primary", "wsrep_ready", "ON", "wsrep_local_state_comment", "Synced", "wsrep_osu_method", "TOI",
            "wsrep_max_ws_rows", "0");

    @Test
    void dialectAndStrategyAreFoundAndTheDialectIsChosenByName() throws Exception {
        Extensions extensions = Extensions.load();
        assertThat(extensions.dialects()).containsKeys("galera", "mysql");
        assertThat(extensions.strategies()).containsKey(GaleraFencedStrategy.NAME);
        DatabaseInfo mariaDb = new DatabaseInfo("MySQL", "5.5.5-10.11.19-MariaDB-0+deb12u1", 5, 5);
        assertThat(extensions.dialectFor(null, mariaDb, Optional.of("galera")).name()).isEqualTo("galera");
        GaleraDialect dialect = new GaleraDialect();
        assertThat(dialect.specificity()).isGreaterThan(0);
        assertThat(dialect.tableLocksHoldOneNodeOnly()).isTrue();
        assertThat(dialect.quote("we`ird")).isEqualTo("`we``ird`");
    }

    /** A method added to Dialect with a default would silently not reach the MySQL dialect's answer: each is declared here. */
    @Test
    void everyDialectMethodIsDeclaredSoNoneFallsBackToADefault() {
        for (java.lang.reflect.Method method : dev.safemigrate.core.spi.Dialect.class.getMethods()) {
            if (!java.lang.reflect.Modifier.isStatic(method.getModifiers())) {
                assertThat(org.junit.platform.commons.util.ReflectionUtils.findMethod(GaleraDialect.class, method.getName(), method.getParameterTypes())
                        .map(java.lang.reflect.Method::getDeclaringClass)).as(method.getName()).contains(GaleraDialect.class);
            }
        }
    }

    @Test
    void aNodeIsReadyOnlySyncedInThePrimaryComponentWithTotalOrderDdlAndNoRowLimit() {
        assertThat(new Wsrep(SYNCED_NODE).whyNotReady()).isEmpty();
        assertThat(new Wsrep(Map.of("wsrep_on", "OFF", "wsrep_provider", "none")).galera()).isFalse();
        assertThat(new Wsrep(Map.of()).whyNotReady()).get().asString().contains("not a Galera node");
        assertThat(new Wsrep(with("wsrep_cluster_status", "non-Primary")).whyNotReady()).get().asString().contains("primary component");
        assertThat(new Wsrep(with("wsrep_local_state_comment", "Donor/Desynced")).whyNotReady()).get().asString().contains("Donor/Desynced");
        assertThat(new Wsrep(with("wsrep_osu_method", "RSU")).whyNotReady()).get().asString().contains("RSU").contains("TOI");
        assertThat(new Wsrep(with("wsrep_max_ws_rows", "10000")).whyNotReady()).get().asString().contains("wsrep_max_ws_rows = 10000");
    }

    private static Map<String, String> with(String name, String value) {
        Map<String, String> values = new java.util.TreeMap<>(SYNCED_NODE);
        values.put(name, value);
        return values;
    }
}
