package dev.safemigrate.cli;

import dev.safemigrate.core.DriverManagerDataSource;
import dev.safemigrate.core.Extensions;
import dev.safemigrate.core.SafeMigrate;
import dev.safemigrate.core.model.Migration;
import java.sql.SQLException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Finds where the demo injects its fault: the number of the statement right after the run deletes the
 * duplicates of action_invariants. It rehearses the migration once on a small in-memory copy of the
 * demo database, recording every statement. The SQL is set-based, so the sequence of statements does
 * not depend on the number of rows.
 */
final class DemoFault {
    private static final Pattern DELETE_DUPLICATES = Pattern.compile("(?is)^\\s*DELETE\\s+FROM\\s+(\"?\\w+\"?\\.)?\"?action_invariants\"?\\s.*");

    private DemoFault() {
    }

    /** The statement number for a {@code FaultInjector} that fails right after the duplicates were deleted. */
    static int afterDeletingDuplicates(Extensions extensions, List<Migration> migrations) throws SQLException {
        String url = "jdbc:h2:mem:safemigrate_demo_rehearsal_" + System.nanoTime();
        try (DemoDatabase ignored = DemoDatabase.seeded(url, 100)) {
            StatementRecorder recorder = new StatementRecorder();
            SafeMigrate.builder().dataSource(new DriverManagerDataSource(url, null, null)).extensions(extensions)
                    .connectionDecorator(recorder).build().migrate(migrations);
            List<String> statements = recorder.statements();
            for (int i = 0; i < statements.size(); i++) {
                if (statements.get(i) != null && DELETE_DUPLICATES.matcher(statements.get(i)).matches()) {
                    return i + 2;
                }
            }
        }
        throw new IllegalStateException("the rehearsal of the demo migration never deleted from action_invariants");
    }
}
