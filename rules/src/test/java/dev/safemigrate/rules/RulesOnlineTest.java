package dev.safemigrate.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.model.Online;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** {@code mode: online} and its options: defaults, values, and errors at file:line:column. */
class RulesOnlineTest {
    private static final String STEPS = "steps:\n  - dedupe: {table: t, key: a}\n";

    private static Migration parse(String yaml) {
        return Rules.parse(TestSteps.extensions(), yaml, "migrations/a.yaml");
    }

    @Test
    void offlineIsTheDefaultAndOnlineTakesItsDefaults() {
        assertThat(parse("id: m1\n" + STEPS).online()).isEmpty();
        assertThat(parse("id: m1\nmode: offline\n" + STEPS).online()).isEmpty();
        assertThat(parse("id: m1\nmode: online\n" + STEPS).online()).contains(Online.DEFAULT);
        assertThat(Online.DEFAULT).isEqualTo(new Online(Duration.ofMillis(200), OptionalLong.empty(), Duration.ZERO));
    }

    @Test
    void onlineOptionsAreRead() {
        Migration migration = parse("id: m1\nmode: online\nonline:\n  max_lock_ms: 50\n  batch_rows: 500\n  pause_ms: 10\n" + STEPS);
        assertThat(migration.online()).isEqualTo(Optional.of(new Online(Duration.ofMillis(50), OptionalLong.of(500), Duration.ofMillis(10))));
        assertThat(parse("id: m1\nmode: online\nonline: {batch_rows: auto}\n" + STEPS).online().orElseThrow().batchRows()).isEmpty();
    }

    @Test
    void theModeIsPartOfTheChecksum() {
        assertThat(parse("id: m1\nmode: online\n" + STEPS).checksum()).isNotEqualTo(parse("id: m1\n" + STEPS).checksum());
    }

    @Test
    void errorsNameTheFieldLineAndColumn() {
        assertThat(RulesErrorTest.error("id: m1\nmode: live\n" + STEPS)).isEqualTo("migrations/a.yaml:2:7: mode: expected offline or online, found 'live'");
        assertThat(RulesErrorTest.error("id: m1\nonline: {max_lock_ms: 10}\n" + STEPS))
                .isEqualTo("migrations/a.yaml:2:9: online: online options apply only with mode: online");
        assertThat(RulesErrorTest.error("id: m1\nmode: online\nonline:\n  max_lock_ms: 0\n" + STEPS))
                .isEqualTo("migrations/a.yaml:4:16: online.max_lock_ms: expected a whole number from 1 to 60000, found 0");
        assertThat(RulesErrorTest.error("id: m1\nmode: online\nonline:\n  batch_rows: lots\n" + STEPS))
                .isEqualTo("migrations/a.yaml:4:15: online.batch_rows: expected a whole number from 1 to 1000000, or auto, found 'lots'");
        assertThat(RulesErrorTest.error("id: m1\nmode: online\nonline:\n  pause_ms: 1.5\n" + STEPS))
                .startsWith("migrations/a.yaml:4:13: online.pause_ms: expected a whole number from 0 to 600000, found");
        assertThat(RulesErrorTest.error("id: m1\nmode: online\nonline:\n  max_lock: 10\n" + STEPS))
                .isEqualTo("migrations/a.yaml:4:3: online.max_lock: unknown field 'max_lock'; allowed: batch_rows, max_lock_ms, pause_ms");
    }
}
