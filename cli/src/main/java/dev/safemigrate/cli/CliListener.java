package dev.safemigrate.cli;

import dev.safemigrate.core.RunListener;
import java.io.PrintWriter;
import java.time.Duration;

/**
 * Progress lines on stderr ({@code step k/n: summary ... rows, elapsed}) when they were asked for, and
 * a test hook: when the environment variable {@code SAFEMIGRATE_PAUSE_AT} names a phase of
 * {@link RunListener.Phase} (e.g. {@code between_phases}), the run prints {@code paused at <phase>}
 * on stderr and sleeps for up to 10 minutes there, so that a crash test can kill the process at that
 * exact point. Not meant for users.
 */
final class CliListener implements RunListener {
    static final String PAUSE_VARIABLE = "SAFEMIGRATE_PAUSE_AT";
    private static final Duration PAUSE = Duration.ofMinutes(10);

    private final PrintWriter err;
    private final boolean progress;
    private final String pauseAt;

    CliListener(PrintWriter err, boolean progress, String pauseAt) {
        this.err = err;
        this.progress = progress;
        this.pauseAt = pauseAt == null || pauseAt.isBlank() ? null : pauseAt.trim();
    }

    @Override
    public void stepStarted(String id, int number, int total, String summary) {
        if (progress) {
            err.println(id + ": step " + number + "/" + total + ": " + summary + " ...");
            err.flush();
        }
    }

    @Override
    public void stepFinished(String id, int number, int total, String summary, long rows, Duration elapsed) {
        if (progress) {
            err.println(id + ": step " + number + "/" + total + ": " + summary + " ... " + Text.count(rows) + " rows, "
                    + Text.duration(elapsed));
            err.flush();
        }
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
    }

    @Override
    public void phaseReached(String id, String phase) {
        if (phase.equals(pauseAt)) {
            err.println("paused at " + phase);
            err.flush();
            try {
                Thread.sleep(PAUSE.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
