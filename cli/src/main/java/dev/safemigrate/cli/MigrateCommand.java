package dev.safemigrate.cli;

import dev.safemigrate.core.MigrationReport;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "migrate", description = "Apply the pending migrations, in order of id, after completing or reversing any"
        + " interrupted run. Each one finishes completely or leaves the database as it was.")
final class MigrateCommand extends CliCommand {
    @Mixin
    ConnectionOptions connection;

    @Parameters(arity = "1..*", paramLabel = "FILE|DIR", description = "Rules files, or directories of *.yaml/*.yml files.")
    List<Path> paths;

    @Override
    protected int execute() {
        MigrationReport report = connection.safeMigrate(extensions(), listener()).migrate(load(paths));
        say(TextReports.migrate(report));
        return finish(JsonReports.migrate(report), 0);
    }
}
