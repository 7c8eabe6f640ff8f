package dev.safemigrate.core.kit.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.kit.Flavor;
import dev.safemigrate.core.kit.KitSupport;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The schema fuzzer: random schemas with random duplicates ({@link FuzzSchema}), each run through plan,
 * migrate (clean, with a fault at a random statement, or killed at a random statement), recover and undo in
 * random order ({@link FuzzRun}), checking that no row is lost, no state is stuck, no refusal changes
 * anything and every message is true. Every broken promise is listed with the seed and case that replay it.
 * <p>
 * {@code -Dsafemigrate.fuzz.seed=S} (default {@value #DEFAULT_SEED}), {@code -Dsafemigrate.fuzz.first=I} (the
 * first case, default 0), {@code -Dsafemigrate.fuzz.cases=N} (default: what fits about a minute of the suite on
 * this database, {@link #defaultCases}), {@code -Dsafemigrate.fuzz.minutes=M} (stop starting cases after M minutes).
 */
public abstract class SchemaFuzzKit extends KitSupport {
    static final long DEFAULT_SEED = 20261129L;

    /** Cases of the default (CI) run on this database. */
    protected abstract int defaultCases();

    @Test
    void randomSchemasKeepEveryPromise() throws Exception {
        long seed = Long.getLong("safemigrate.fuzz.seed", DEFAULT_SEED);
        int first = Integer.getInteger("safemigrate.fuzz.first", 0);
        int cases = Integer.getInteger("safemigrate.fuzz.cases", defaultCases());
        long deadline = System.nanoTime() + Duration.ofMinutes(Long.getLong("safemigrate.fuzz.minutes", 24 * 60L)).toNanos();
        FuzzTally tally = new FuzzTally(getClass().getSimpleName(), seed);
        long start = System.nanoTime();
        for (int index = first; index < first + cases && System.nanoTime() < deadline; index++) {
            freshDatabase("fuzz" + index);
            FuzzSchema schema = FuzzSchema.draw(seed, index, Flavor.of(dataSource));
            tally.startCase(index, schema);
            try {
                new FuzzRun(this, dataSource, schema, new Random(~(seed * 31 + index)), tally).run();
            } catch (Exception | AssertionError e) {
                tally.found(FuzzTally.Finding.UNEXPECTED_ERROR, e.toString());
                e.printStackTrace();
            }
        }
        System.out.println(tally.summary(Duration.ofNanos(System.nanoTime() - start)));
        assertThat(tally.failures()).as("broken promises (each with its replay)").isEmpty();
    }
}
