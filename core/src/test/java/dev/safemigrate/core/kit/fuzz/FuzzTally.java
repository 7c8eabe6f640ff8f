package dev.safemigrate.core.kit.fuzz;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the fuzzer saw over all cases: events counted, and each broken promise with the seed and case that replay it. */
final class FuzzTally {
    /** A broken promise (or, for {@link #PLAN_COUNTS_OF_A_LATER_STEP}, a difference plan announces in a note, reported apart). */
    enum Finding {
        ROWS_LOST, STUCK_STATE, FALSE_MESSAGE, REFUSAL_CHANGED_DATA, EXIT_5, PLAN_COUNTS, PLAN_COUNTS_OF_A_LATER_STEP, UNEXPECTED_ERROR;

        boolean known() {
            return this == PLAN_COUNTS_OF_A_LATER_STEP;
        }
    }

    private final String name;
    private final long seed;
    private final Map<String, Integer> events = new TreeMap<>();
    private final Map<Finding, Integer> counts = new EnumMap<>(Finding.class);
    private final List<String> failures = new ArrayList<>();
    private final List<String> known = new ArrayList<>();
    private int caseIndex;
    private String schema = "";
    private final List<String> trail = new ArrayList<>();

    FuzzTally(String name, long seed) {
        this.name = name;
        this.seed = seed;
        for (Finding finding : Finding.values()) {
            counts.put(finding, 0);
        }
    }

    void startCase(int index, FuzzSchema drawn) {
        caseIndex = index;
        schema = drawn.describe();
        trail.clear();
        count("cases");
    }

    void count(String event) {
        events.merge(event, 1, Integer::sum);
    }

    /** What the case did so far (commands and their outcomes), printed with its findings. */
    void did(String what) {
        trail.add(what);
    }

    void found(Finding finding, String what) {
        counts.merge(finding, 1, Integer::sum);
        String replay = String.format("%s in case %d of seed %d (replay: -Dsafemigrate.fuzz.seed=%d -Dsafemigrate.fuzz.first=%d -Dsafemigrate.fuzz.cases=1): %s",
                finding, caseIndex, seed, seed, caseIndex, what);
        if (finding.known()) {
            known.add(replay);
        } else {
            failures.add(replay + "\n-- what ran: " + String.join("; ", trail) + "\n" + schema);
        }
    }

    List<String> failures() {
        return failures;
    }

    String summary(Duration elapsed) {
        int cases = events.getOrDefault("cases", 0);
        double perMinute = cases * 60_000.0 / Math.max(1, elapsed.toMillis());
        StringBuilder text = new StringBuilder(String.format("schema fuzzer (%s): seed %d, %d cases in %.1f s (%.1f cases/min); events %s; findings %s",
                name, seed, cases, elapsed.toMillis() / 1000.0, perMinute, events, counts));
        known.stream().limit(5).forEach(k -> text.append("\n  known open: ").append(k));
        return text.toString();
    }
}
