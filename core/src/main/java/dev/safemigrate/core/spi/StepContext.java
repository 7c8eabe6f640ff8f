package dev.safemigrate.core.spi;

import dev.safemigrate.core.model.Guards;
import dev.safemigrate.core.model.TableName;
import java.sql.SQLException;
import java.util.Optional;

/** What a step may use while it runs: the database, its dialect and catalog, and its archives. */
public interface StepContext {
    Dialect dialect();

    DatabaseInfo databaseInfo();

    Db db();

    Catalog catalog();

    /** The table as the catalog spells it; an unknown table is an error with exit code 2. */
    ResolvedTable table(TableName name) throws SQLException;

    /** The column as the catalog spells it; an unknown column is an error with exit code 2. */
    String column(ResolvedTable table, String name);

    String migrationId();

    Guards guards();

    /**
     * The name an archive table of this step for {@code role} gets (stable, short enough for every database),
     * for a strategy that creates tables of its own beside the archives.
     */
    String archiveName(String role, ResolvedTable source);

    /** The archive table created for {@code role} (declared in {@link Step#archives}). */
    ResolvedTable archive(String role);

    /** The archive for {@code role} once a run created it; empty where nothing runs ({@code verify}). */
    Optional<ResolvedTable> runArchive(String role);

    /** A warning shown by {@code plan} and {@code migrate}. */
    void warn(String message);
}
