package dev.safemigrate.cli;

import dev.safemigrate.core.MigrationPlan;
import dev.safemigrate.core.RunListener;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "plan", description = "Show what migrate would change: per step, rows to delete, update and archive, with sample keys."
        + " Changes nothing.")
final class PlanCommand extends CliCommand {
    @Mixin
    ConnectionOptions connection;

    @Option(names = "--sql", description = "Also print every statement migrate would run, in order, with its transactions and locks,"
            + " for review (the same code as migrate, run dry).")
    boolean sql;

    @Parameters(arity = "1..*", paramLabel = "FILE|DIR", description = "Rules files, or directories of *.yaml/*.yml files.")
    List<Path> paths;

    @Override
    protected int execute() {
        var safeMigrate = connection.safeMigrate(extensions(), RunListener.NONE);
        MigrationPlan plan = sql ? safeMigrate.planWithStatements(load(paths)) : safeMigrate.plan(load(paths));
        say(TextReports.plan(plan));
        return finish(JsonReports.plan(plan), 0);
    }
}
