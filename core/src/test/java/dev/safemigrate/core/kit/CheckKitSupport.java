package dev.safemigrate.core.kit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.SafeMigrate;
import dev.safemigrate.core.model.Expectation;
import dev.safemigrate.core.model.Guards;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.model.SqlCheck;
import dev.safemigrate.core.steps.Repoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the tests of user checks: the spec's fixture, the spec's migration with checks
 * added, and the proof that a check was refused before anything ran.
 */
public abstract class CheckKitSupport extends KitSupport {
    /** The location every check of these tests is declared at. */
    protected static final String LOCATION = "kit:check:1";

    protected List<Map<String, Object>> invariantsBefore;
    protected List<Map<String, Object>> checksBefore;

    @BeforeEach
    void seedFixture() throws Exception {
        Fixture.seed(dataSource);
        invariantsBefore = invariants();
        checksBefore = checks();
    }

    protected static SqlCheck check(String sql, long expected) {
        return new SqlCheck(sql, Expectation.exactly(expected), LOCATION);
    }

    /** The spec's dedupe and add_unique with these checks. */
    protected static Migration withChecks(String id, List<SqlCheck> pre, List<SqlCheck> post) {
        return migration(id, Guards.DEFAULT, pre, post, dedupeInvariants(Repoint.OnConflict.FAIL), uniqueInvariants());
    }

    /** {@code sql} is refused by the text rules when the check is made, as {@code Rules.load} makes it: exit 2, no database involved. */
    protected static String refusedAsText(String sql) {
        return failure(ExitCode.INVALID, () -> check(sql, 0)).getMessage();
    }

    /**
     * Runs {@code sql} as a precondition of {@code plan} and {@code migrate} and as a postcondition of
     * {@code migrate} and {@code verify}; each must exit 2 before running anything, and afterwards the
     * data, the archive and the history are as they were. Returns the four messages.
     */
    protected List<String> refusedEverywhere(String sql) throws Exception {
        SqlCheck check = check(sql, 0);
        Migration asPrecondition = withChecks("kit_check", List.of(check), List.of());
        Migration asPostcondition = withChecks("kit_check", List.of(), List.of(check));
        SafeMigrate safeMigrate = safeMigrate();
        List<String> messages = new ArrayList<>();
        messages.add(refusedBeforeAnything(() -> safeMigrate.plan(List.of(asPrecondition))));
        messages.add(refusedBeforeAnything(() -> safeMigrate.migrate(List.of(asPrecondition))));
        messages.add(refusedBeforeAnything(() -> safeMigrate.migrate(List.of(asPostcondition))));
        messages.add(refusedBeforeAnything(() -> safeMigrate.verify(List.of(asPostcondition))));
        assertThat(messages.get(0)).contains("precondition");
        assertThat(messages.get(2)).contains("postcondition");
        // Effects add up, so one look after all four commands sees any of them.
        assertUntouched();
        return messages;
    }

    /** As {@link #refusedEverywhere}, for {@code migrate} with {@code sql} as a postcondition only: for long lists of escapes. */
    protected String refusedByMigrate(String sql) throws Exception {
        Migration migration = withChecks("kit_check", List.of(), List.of(check(sql, 0)));
        String message = refusedBeforeAnything(() -> safeMigrate().migrate(List.of(migration)));
        assertUntouched();
        return message;
    }

    private String refusedBeforeAnything(Runnable command) throws Exception {
        String message = failure(ExitCode.INVALID, command).getMessage();
        assertThat(message).contains(LOCATION).contains("is refused: it ").contains("nothing was run");
        return message;
    }

    protected void assertUntouched() throws Exception {
        assertThat(invariants()).isEqualTo(invariantsBefore);
        assertThat(checks()).isEqualTo(checksBefore);
        assertThat(archiveTables()).isEmpty();
        assertThat(historyStatus("kit_check")).isNull();
    }

    /** A library instance with this dialect's policy switched off ({@link UnguardedDialect}), to test the runtime defences alone. */
    protected SafeMigrate unguarded(String dialect) {
        return configure(SafeMigrate.builder().dataSource(dataSource).lockTimeout(Duration.ofSeconds(20))).dialect(dialect).build();
    }
}
