package dev.safemigrate.dialect.galera;

import dev.safemigrate.core.spi.Db;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a server says about its wsrep (Galera) replication: the session's wsrep variables and the node's wsrep
 * status. Read with {@code SHOW}, which gives no row (not an error) where there is no wsrep, as on MySQL or a
 * MariaDB built without it, so probing never has to catch an exception. The values measured on a node and on a
 * standalone server are in docs/galera-notes.md, section 1.
 */
record Wsrep(Map<String, String> values) {
    static final List<String> QUERIES = List.of("SHOW SESSION VARIABLES LIKE 'wsrep\\_%'", "SHOW GLOBAL STATUS LIKE 'wsrep\\_%'");

    static Wsrep read(Connection connection) throws SQLException {
        Map<String, String> values = new TreeMap<>();
        try (Statement statement = connection.createStatement()) {
            for (String query : QUERIES) {
                try (ResultSet rows = statement.executeQuery(query)) {
                    while (rows.next()) {
                        values.put(rows.getString(1).toLowerCase(Locale.ROOT), rows.getString(2));
                    }
                }
            }
        }
        return new Wsrep(values);
    }

    static Wsrep read(Db db) throws SQLException {
        Map<String, String> values = new TreeMap<>();
        for (String query : QUERIES) {
            for (List<String> row : db.sample(query, 1000)) {
                values.put(row.get(0).toLowerCase(Locale.ROOT), row.get(1));
            }
        }
        return new Wsrep(values);
    }

    private String value(String name) {
        return values.getOrDefault(name, "");
    }

    /** A Galera node: wsrep is on for this session, a provider is loaded, and the node reports a cluster status. */
    boolean galera() {
        return value("wsrep_on").equalsIgnoreCase("ON") && !value("wsrep_provider").isEmpty()
                && !value("wsrep_provider").equalsIgnoreCase("none") && !value("wsrep_cluster_status").isEmpty();
    }

    /**
     * Why a migration cannot run safely through this node now, or empty: it must be Synced in the primary component
     * (else its writes are refused, or it is behind), replicate this session's writes, run DDL in total order on every
     * node (TOI: RSU would add the constraint on this node only, section 5), and allow the data transaction's rows in
     * one write-set (a row limit cannot be met without splitting it, which this dialect does not do).
     */
    Optional<String> whyNotReady() {
        if (!galera()) {
            return Optional.of("this server is not a Galera node with wsrep on for this session (wsrep_on = " + shown("wsrep_on")
                    + ", wsrep_provider = " + shown("wsrep_provider") + ", wsrep_cluster_status = " + shown("wsrep_cluster_status") + ")");
        }
        Optional<String> outside = outsidePrimary();
        if (outside.isPresent()) {
            return outside;
        }
        if (!value("wsrep_osu_method").equalsIgnoreCase("TOI")) {
            return Optional.of("wsrep_OSU_method is " + shown("wsrep_osu_method") + " in this session: the unique constraint would be added on"
                    + " this node only; it must be TOI (the default), which adds it on every node in the same order as the writes");
        }
        long maxRows = number("wsrep_max_ws_rows");
        if (maxRows > 0) {
            return Optional.of("wsrep_max_ws_rows = " + maxRows + " limits the rows of one transaction, and the data changes of a migration"
                    + " are one transaction here; set it to 0 (the default) for the run");
        }
        return Optional.empty();
    }

    /**
     * Why this Galera node is no place to read or write the cluster's data, or empty: it must be a synced member of the
     * primary component. Outside it (cut off from the others, or still joining) a causal read waits for a cluster it
     * cannot reach and fails with "Lock wait timeout exceeded", and its tables refuse reads and writes (1047).
     */
    Optional<String> outsidePrimary() {
        if (galera() && (!value("wsrep_cluster_status").equalsIgnoreCase("Primary") || !value("wsrep_ready").equalsIgnoreCase("ON")
                || !value("wsrep_local_state_comment").equalsIgnoreCase("Synced"))) {
            return Optional.of("this node is not a synced member of the primary component (wsrep_cluster_status = " + shown("wsrep_cluster_status")
                    + ", wsrep_ready = " + shown("wsrep_ready") + ", wsrep_local_state_comment = " + shown("wsrep_local_state_comment")
                    + ", wsrep_cluster_size = " + shown("wsrep_cluster_size") + "); nothing was changed; connect to a node that is");
        }
        return Optional.empty();
    }

    private long number(String name) {
        try {
            return Long.parseLong(value(name).trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private String shown(String name) {
        return values.containsKey(name) ? "'" + value(name) + "'" : "(none)";
    }
}
