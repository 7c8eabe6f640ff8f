package dev.safemigrate.cli;

import dev.safemigrate.core.RunListener;
import java.time.Duration;
import java.util.Arrays;

/**
 * The CLI's main for crash tests: {@code PausingMain PHASE ARGS...} runs {@code safemigrate ARGS...}, and when
 * a run reaches {@code PHASE} (a {@link RunListener.Phase}) prints {@code paused at PHASE} on stderr and sleeps
 * there, so that the test can kill the process at that exact point.
 */
final class PausingMain {
    private static final Duration PAUSE = Duration.ofMinutes(10);

    private PausingMain() {
    }

    public static void main(String[] args) {
        String pauseAt = args[0];
        RunListener pause = new RunListener() {
            @Override
            public void phaseReached(String id, String phase) {
                if (phase.equals(pauseAt)) {
                    System.err.println("paused at " + phase);
                    System.err.flush();
                    try {
                        Thread.sleep(PAUSE.toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        System.exit(Main.commandLine(new Main(System.getenv(), pause)).execute(Arrays.copyOfRange(args, 1, args.length)));
    }
}
