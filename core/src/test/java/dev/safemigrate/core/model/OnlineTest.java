package dev.safemigrate.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.SafeMigrateException;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** A library user building {@link Online} in code gets the limits a rules file is held to (exit 2), not a run with a nonsense setting. */
class OnlineTest {
    private static String invalid(Runnable build) {
        SafeMigrateException e = catchThrowableOfType(SafeMigrateException.class, build::run);
        assertThat(e).isNotNull();
        assertThat(e.exitCode()).isEqualTo(ExitCode.INVALID);
        return e.getMessage();
    }

    @Test
    void settingsOutsideTheirLimitsAreInvalid() {
        assertThat(invalid(() -> new Online(Duration.ZERO, OptionalLong.empty(), Duration.ZERO))).isEqualTo("max_lock_ms must be 1 to 60000, not 0");
        assertThat(invalid(() -> new Online(Duration.ofMillis(200), OptionalLong.of(0), Duration.ZERO)))
                .isEqualTo("batch_rows must be auto or 1 to 1000000, not 0");
        assertThat(invalid(() -> new Online(Duration.ofMillis(200), OptionalLong.empty(), Duration.ofMillis(-1))))
                .isEqualTo("pause_ms must be 0 to 600000, not -1");
        assertThat(new Online(Duration.ofMillis(60_000), OptionalLong.of(1_000_000), Duration.ofMillis(600_000)).describe())
                .isEqualTo("max_lock_ms: 60000, batch_rows: 1000000, pause_ms: 600000");
    }
}
