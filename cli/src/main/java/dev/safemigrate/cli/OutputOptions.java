package dev.safemigrate.cli;

import picocli.CommandLine.Option;

/** {@code --json} and {@code --quiet}, shared by every command. */
public final class OutputOptions {
    @Option(names = "--json", description = "Print one JSON document on stdout (see JSON.md); all human text goes to stderr.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "Print only errors (and the JSON document with --json).")
    boolean quiet;

    @Option(names = "--progress", hidden = true, description = "Show step progress even when the console is not a terminal.")
    boolean forceProgress;

    /** Progress lines go to stderr when it is a terminal (or when forced), never with --quiet. */
    boolean showProgress() {
        return !quiet && (forceProgress || System.console() != null);
    }
}
