package dev.safemigrate.liquibase;

import dev.safemigrate.core.Extensions;
import dev.safemigrate.core.SafeMigrate;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.rules.Rules;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import liquibase.Scope;
import liquibase.change.custom.CustomTaskChange;
import liquibase.change.custom.CustomTaskRollback;
import liquibase.database.Database;
import liquibase.exception.CustomChangeException;
import liquibase.exception.DatabaseException;
import liquibase.exception.ValidationErrors;
import liquibase.executor.Executor;
import liquibase.executor.ExecutorService;
import liquibase.executor.LoggingExecutor;
import liquibase.resource.ResourceAccessor;

/**
 * A Liquibase custom change that runs one rules file:
 * <pre>{@code
 * <changeSet id="2" author="dba">
 *   <customChange class="dev.safemigrate.liquibase.SafeMigrateChange">
 *     <param name="file" value="db/dedupe_customers.yaml"/>
 *   </customChange>
 * </changeSet>
 * }</pre>
 * {@code update} migrates it, {@code rollback} of the changeset undoes it, {@code update-sql} prints
 * what {@code plan} reports ({@link UpdateSqlText}). safemigrate runs on connections of its own, so
 * the rules file's atomicity is safemigrate's, not that of Liquibase's changeset transaction.
 */
public class SafeMigrateChange implements CustomTaskChange, CustomTaskRollback {
    private String file;
    private String passwordEnv = LiquibaseDataSource.DEFAULT_PASSWORD_ENV;
    private long lockTimeoutSeconds = 60;
    private ResourceAccessor resources;
    private Extensions extensions;
    private Migration migration;

    /** The rules file, found as Liquibase finds a changelog's files (its search path). */
    public void setFile(String file) {
        this.file = file;
    }

    public String getFile() {
        return file;
    }

    /** The environment variable with the database password, when the connection's URL does not carry it. */
    public void setPasswordEnv(String passwordEnv) {
        this.passwordEnv = passwordEnv;
    }

    public void setLockTimeout(String seconds) {
        this.lockTimeoutSeconds = Long.parseLong(seconds.strip());
    }

    @Override
    public void setFileOpener(ResourceAccessor accessor) {
        this.resources = accessor;
    }

    @Override
    public void setUp() {
        // Read lazily in validate/execute: Liquibase sets the parameters after setUp for some changelog formats.
    }

    @Override
    public ValidationErrors validate(Database database) {
        ValidationErrors errors = new ValidationErrors();
        try {
            migration();
        } catch (SafeMigrateException e) {
            errors.addError(e.getMessage());
        }
        return errors;
    }

    @Override
    public void execute(Database database) throws CustomChangeException {
        Executor executor = Scope.getCurrentScope().getSingleton(ExecutorService.class).getExecutor("jdbc", database);
        if (executor instanceof LoggingExecutor) {
            comment(executor, planText(database));
            return;
        }
        run(database, sm -> sm.migrate(List.of(migration())));
    }

    @Override
    public void rollback(Database database) throws CustomChangeException {
        Executor executor = Scope.getCurrentScope().getSingleton(ExecutorService.class).getExecutor("jdbc", database);
        if (executor instanceof LoggingExecutor) {
            comment(executor, List.of("safemigrate undo " + migration().id() + ": puts back the rows it deleted and the values it"
                    + " changed, from its archive, and drops the constraints it created"));
            return;
        }
        run(database, sm -> sm.undo(migration().id()));
    }

    @Override
    public String getConfirmationMessage() {
        return "safemigrate ran " + file;
    }

    /**
     * The plan as update-sql shows it. The plan reads the database as it is now, where changesets that
     * update-sql lists before this one are not applied yet: when it cannot be made, the output says why.
     */
    private List<String> planText(Database database) {
        try {
            return UpdateSqlText.lines(safeMigrate(database).planWithStatements(List.of(migration())));
        } catch (SafeMigrateException e) {
            return List.of("safemigrate " + migration().id() + ": no plan against the database as it is now (exit " + e.exitCode().code() + ": "
                    + e.getMessage() + "); if changesets above create what it needs, run update-sql again once they are applied");
        }
    }

    private void run(Database database, Function<SafeMigrate, ?> action) throws CustomChangeException {
        try {
            action.apply(safeMigrate(database));
        } catch (SafeMigrateException e) {
            throw new CustomChangeException("safemigrate " + migration().id() + " failed (exit " + e.exitCode().code() + ": "
                    + e.exitCode().meaning() + "): " + e.getMessage(), e);
        }
    }

    private SafeMigrate safeMigrate(Database database) {
        return SafeMigrate.builder().dataSource(LiquibaseDataSource.of(database, passwordEnv)).extensions(extensions())
                .lockTimeout(Duration.ofSeconds(lockTimeoutSeconds)).build();
    }

    private static void comment(Executor executor, List<String> lines) throws CustomChangeException {
        try {
            for (String line : lines) {
                executor.comment(line);
            }
        } catch (DatabaseException e) {
            throw new CustomChangeException(e);
        }
    }

    private Migration migration() {
        if (migration == null) {
            if (file == null || file.isBlank()) {
                throw SafeMigrateException.invalid("safemigrate custom change: the parameter 'file' (the rules file) is required");
            }
            migration = Rules.parse(extensions(), read(), file);
        }
        return migration;
    }

    private String read() {
        try (InputStream in = resources.getExisting(file).openInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw SafeMigrateException.invalid(file + ": cannot read the rules file: " + e.getMessage());
        }
    }

    private Extensions extensions() {
        if (extensions == null) {
            extensions = Extensions.load(SafeMigrateChange.class.getClassLoader());
        }
        return extensions;
    }
}
