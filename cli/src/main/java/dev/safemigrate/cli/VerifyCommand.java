package dev.safemigrate.cli;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.RunListener;
import dev.safemigrate.core.VerifyReport;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "verify", description = "Check the invariants the rules files declare (no duplicates, no dangling references,"
        + " postconditions) against the live data. Read-only; exits 4 when one does not hold.")
final class VerifyCommand extends CliCommand {
    @Mixin
    ConnectionOptions connection;

    @Parameters(arity = "1..*", paramLabel = "FILE|DIR", description = "Rules files, or directories of *.yaml/*.yml files.")
    List<Path> paths;

    @Override
    protected int execute() {
        VerifyReport report = connection.safeMigrate(extensions(), RunListener.NONE).verify(load(paths));
        say(TextReports.verify(report));
        if (!report.holds()) {
            note("verify: " + report.violations().size() + " invariant(s) do not hold");
        }
        return finish(JsonReports.verify(report), report.holds() ? ExitCode.DONE.code() : ExitCode.VIOLATED.code());
    }
}
