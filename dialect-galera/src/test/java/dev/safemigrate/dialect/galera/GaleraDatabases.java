package dev.safemigrate.dialect.galera;

import com.mysql.cj.jdbc.MysqlDataSource;
import dev.safemigrate.core.kit.GaleraCluster;
import dev.safemigrate.core.kit.TestDatabase;
import java.sql.SQLException;

/**
 * One database per test on the JVM's shared three-node cluster ({@link GaleraCluster}): created on every node,
 * handed out through node 1, dropped on close.
 */
final class GaleraDatabases implements TestDatabase.Provider {
    static final GaleraDatabases INSTANCE = new GaleraDatabases();

    @Override
    public TestDatabase create(String name) {
        GaleraCluster.Database database;
        try {
            database = GaleraCluster.get().createDatabase(name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return TestDatabase.of(dataSource(database, 1), database.url(1), database::close);
    }

    /**
     * A data source for {@code database} through node {@code node} whose reads are causal ({@code wsrep_sync_wait}):
     * a test that checks on node 3 what it wrote through node 1 sees it.
     */
    static MysqlDataSource dataSource(GaleraCluster.Database database, int node) {
        MysqlDataSource dataSource = new MysqlDataSource();
        dataSource.setURL(database.url(node) + "?sessionVariables=wsrep_sync_wait=1");
        dataSource.setUser("root");
        dataSource.setPassword("");
        return dataSource;
    }
}
