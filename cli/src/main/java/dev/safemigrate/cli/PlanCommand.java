package dev.safemigrate.cli;

import dev.safemigrate.core.MigrationPlan;
import dev.safemigrate.core.RunListener;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "plan", description = "Show what migrate would change: per step, rows to delete, update and archive, with sample keys."
        + " Changes nothing.")
final class PlanCommand extends CliCommand {
    @Mixin
    ConnectionOptions connection;

    @Parameters(arity = "1..*", paramLabel = "FILE|DIR", description = "Rules files, or directories of *.yaml/*.yml files.")
    List<Path> paths;

    @Override
    protected int execute() {
        MigrationPlan plan = connection.safeMigrate(extensions(), RunListener.NONE).plan(load(paths));
        say(TextReports.plan(plan));
        return finish(JsonReports.plan(plan), 0);
    }
}
