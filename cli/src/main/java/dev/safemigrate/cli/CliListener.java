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

    /** Online mode: chunk k of about n, the rows removed so far, their rate and the time left at that rate. */
    @Override
    public void chunkDone(String id, int chunk, int estimatedChunks, long rowsDone, long rowsTotal, Duration elapsed) {
        if (progress) {
            double perSecond = rowsDone * 1000.0 / Math.max(1, elapsed.toMillis());
            long left = Math.max(0, rowsTotal - rowsDone);
            err.println(id + ": chunk " + chunk + " of ~" + Math.max(chunk, estimatedChunks) + ": " + Text.count(rowsDone) + " of ~"
                    + Text.count(rowsTotal) + " duplicate rows removed, " + Text.count(Math.round(perSecond)) + " rows/s, ETA "
                    + (perSecond > 0 ? Text.duration(Duration.ofMillis(Math.round(left * 1000 / perSecond))) : "unknown"));
            err.flush();
        }
        also.chunkDone(id, chunk, estimatedChunks, rowsDone, rowsTotal, elapsed);
    }

    @Override
    public void phaseReached(String id, String phase) {
        also.phaseReached(id, phase);
    }
}
