package dev.safemigrate.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.safemigrate.core.Extensions;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.rules.Rules;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every command shares: output through the command line's writers (so tests can capture it),
 * {@code --json}/{@code --quiet}, and the mapping of failures to exit codes in {@link Failures}.
 */
abstract class CliCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    private Extensions extensions;

    @Override
    public final Integer call() {
        try {
            return execute();
        } catch (picocli.CommandLine.ParameterException e) {
            throw e;
        } catch (RuntimeException e) {
            return Failures.report(spec.name(), output.json, out(), err(), e);
        }
    }

    /** Runs the command and returns its exit code; a {@link SafeMigrateException} becomes its own exit code. */
    protected abstract int execute();

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Human text: stdout, or stderr when stdout carries JSON; nothing with --quiet. */
    void say(String text) {
        if (!output.quiet) {
            PrintWriter writer = output.json ? err() : out();
            writer.println(text);
            writer.flush();
        }
    }

    /** A remark about the run (warnings, what happened); stderr, nothing with --quiet. */
    void note(String text) {
        if (!output.quiet) {
            err().println(text);
            err().flush();
        }
    }

    /** With --json, prints {@code document} (plus command and exit code) as the one JSON document on stdout. */
    int finish(ObjectNode document, int exitCode) {
        if (output.json) {
            ObjectNode full = Json.object().put("command", spec.name()).put("exit_code", exitCode);
            full.setAll(document);
            Json.print(out(), full);
        }
        return exitCode;
    }

    Extensions extensions() {
        if (extensions == null) {
            extensions = Extensions.load(CliCommand.class.getClassLoader());
        }
        return extensions;
    }

    /** The migrations in the given rules files and directories (each path is checked there: it exists, it can be read, it is not too large). */
    List<Migration> load(List<Path> paths) {
        return paths.isEmpty() ? List.of() : Rules.load(extensions(), paths);
    }

    CliListener listener() {
        return new CliListener(err(), output.showProgress(), Main.listener(spec));
    }
}
