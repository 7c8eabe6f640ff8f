package dev.safemigrate.core.internal;

import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.model.Guards;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.spi.Catalog;
import dev.safemigrate.core.spi.DatabaseInfo;
import dev.safemigrate.core.spi.Db;
import dev.safemigrate.core.spi.Dialect;
import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.spi.StepContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The {@link StepContext} of one migration's run; {@link #step} selects whose archives {@link #archive} returns. */
final class RunContext implements StepContext {
    private final Session session;
    private final String migrationId;
    private final Guards guards;
    private final Map<TableName, ResolvedTable> tables = new HashMap<>();
    private final Map<String, ResolvedTable> archives = new HashMap<>();
    private final List<String> warnings = new ArrayList<>();
    private int step;

    RunContext(Session session, String migrationId, Guards guards) {
        this.session = session;
        this.migrationId = migrationId;
        this.guards = guards;
    }

    RunContext step(int index) {
        this.step = index;
        return this;
    }

    @Override
    public Dialect dialect() {
        return session.dialect;
    }

    @Override
    public DatabaseInfo databaseInfo() {
        return session.info;
    }

    @Override
    public Db db() {
        return session.db;
    }

    @Override
    public Catalog catalog() {
        return session.catalog;
    }

    @Override
    public ResolvedTable table(TableName name) throws SQLException {
        ResolvedTable cached = tables.get(name);
        if (cached != null) {
            return cached;
        }
        ResolvedTable resolved = session.catalog.table(name).orElseThrow(() ->
                SafeMigrateException.invalid("migration " + migrationId + ": table " + name + " does not exist"));
        tables.put(name, resolved);
        return resolved;
    }

    @Override
    public String column(ResolvedTable table, String name) {
        List<String> columns = table.columnNames();
        if (columns.contains(name)) {
            return name;
        }
        List<String> folded = columns.stream().filter(c -> c.equalsIgnoreCase(name)).toList();
        if (folded.size() != 1) {
            throw SafeMigrateException.invalid("migration " + migrationId + ": table " + table + " has no column " + name
                    + " (its columns: " + String.join(", ", columns) + ")");
        }
        return folded.get(0);
    }

    @Override
    public String migrationId() {
        return migrationId;
    }

    @Override
    public Guards guards() {
        return guards;
    }

    /** The name of the archive table for {@code role} of step {@code stepIndex}: stable, readable, short enough for every database. */
    String archiveName(int stepIndex, String role, ResolvedTable source) {
        String base = source.name().toLowerCase(Locale.ROOT);
        String name = "sm_archive_" + hash(migrationId + "/" + stepIndex + "/" + role) + "_" + base.substring(0, Math.min(30, base.length()));
        return session.upperCaseIdentifiers ? name.toUpperCase(Locale.ROOT) : name;
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    void registerArchive(int stepIndex, String role, ResolvedTable archive) {
        archives.put(stepIndex + "/" + role, archive);
    }

    @Override
    public ResolvedTable archive(String role) {
        return runArchive(role).orElseThrow(() -> new IllegalStateException("step " + step + " has no archive '" + role + "'"));
    }

    @Override
    public Optional<ResolvedTable> runArchive(String role) {
        return Optional.ofNullable(archives.get(step + "/" + role));
    }

    @Override
    public void warn(String message) {
        if (!warnings.contains(message)) {
            warnings.add(message);
        }
    }

    List<String> warnings() {
        return warnings;
    }
}
