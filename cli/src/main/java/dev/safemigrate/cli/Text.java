package dev.safemigrate.cli;

import java.time.Duration;
import java.util.Locale;

/** Numbers and durations as people read them. */
final class Text {
    private Text() {
    }

    static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    static String duration(Duration elapsed) {
        long millis = elapsed.toMillis();
        return millis < 1000 ? millis + " ms" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    /** "1 row" / "2 rows". */
    static String rows(long value, String noun) {
        return count(value) + " " + noun + (value == 1 ? "" : "s");
    }
}
