package dev.safemigrate.cli;

import dev.safemigrate.core.RunListener;
import java.io.PrintWriter;
import java.time.Duration;

/**
 * Progress lines on stderr ({@code step k/n: summary ... rows, elapsed}) when they were asked for; every
 * event also goes to the listener the {@link Main} was made with (none, unless a test's main gave one).
 */
final class CliListener implements RunListener {
    private final PrintWriter err;
    private final boolean progress;
    private final RunListener also;

    CliListener(PrintWriter err, boolean progress, RunListener also) {
        this.err = err;
        this.progress = progress;
        this.also = also;
    }

    @Override
    public void stepStarted(String id, int number, int total, String summary) {
        if (progress) {
            err.println(id + ": step " + number + "/" + total + ": " + summary + " ...");
            err.flush();
        }
        also.stepStarted(id, number, total, summary);
    }

    @Override
    public void stepFinished(String id, int number, int total, String summary, long rows, Duration elapsed) {
        if (progress) {
            err.println(id + ": step " + number + "/" + total + ": " + summary + " ... " + Text.count(rows) + " rows, "
                    + Text.duration(elapsed));
            err.flush();
        }
        also.stepFinished(id, number, total, summary, rows, elapsed);
    }

    @Override
    public void phaseReached(String id, String phase) {
        also.phaseReached(id, phase);
    }
}
