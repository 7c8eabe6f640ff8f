package dev.safemigrate.maven;

import java.util.List;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/** What migrate would do, per step: rows to delete, update and archive, sample keys; changes nothing. */
@Mojo(name = "plan", requiresProject = false, threadSafe = true)
public class PlanMojo extends SafeMigrateMojo {
    /** Also print every statement migrate would run, in order, with its transactions and locks (the command line's {@code plan --sql}). */
    @Parameter(property = "safemigrate.sql", defaultValue = "false")
    boolean sql;

    public PlanMojo() {
        super("plan");
    }

    @Override
    List<String> arguments() {
        List<String> arguments = super.arguments();
        if (sql) {
            arguments.add(1, "--sql");
        }
        return arguments;
    }
}
