package dev.safemigrate.core.internal;

import dev.safemigrate.core.Extensions;
import dev.safemigrate.core.RunListener;
import java.sql.Connection;
import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/** How a {@code SafeMigrate} was configured. {@code checkTimeout}: how long one user check may run before it is cancelled. */
public record Settings(DataSource dataSource, Extensions extensions, Optional<String> dialectName, Duration lockTimeout,
                       Duration checkTimeout, UnaryOperator<Connection> connectionDecorator, RunListener listener) {
}
