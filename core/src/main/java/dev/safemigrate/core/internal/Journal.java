package dev.safemigrate.core.internal;

import dev.safemigrate.core.HistoryEntry;
import java.sql.Connection;
import java.util.List;
import java.util.function.Function;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;

/**
 * The history and journal tables, read and written through MyBatis on the run's own connection, so
 * that journal writes commit (or roll back) with the transaction they belong to.
 */
final class Journal {
    private final SqlSessionFactory factory;
    private final Connection connection;

    Journal(SqlSessionFactory factory, Connection connection) {
        this.factory = factory;
        this.connection = connection;
    }

    private <T> T call(Function<JournalMapper, T> work) {
        try (SqlSession session = factory.openSession(connection)) {
            return work.apply(session.getMapper(JournalMapper.class));
        }
    }

    private void run(java.util.function.Consumer<JournalMapper> work) {
        call(mapper -> {
            work.accept(mapper);
            return null;
        });
    }

    void createTables() {
        run(mapper -> {
            mapper.createHistoryTable();
            mapper.createJournalTable();
        });
    }

    List<HistoryEntry> history() {
        return call(JournalMapper::history);
    }

    HistoryEntry find(String id) {
        return call(mapper -> mapper.historyById(id));
    }

    /** Inserts the entry, or replaces the row of an earlier run with the same id. */
    void save(HistoryEntry entry) {
        run(mapper -> {
            if (mapper.historyById(entry.id()) == null) {
                mapper.insertHistory(entry);
            } else {
                mapper.updateHistory(entry);
            }
        });
    }

    /** Puts back the history row of {@code id} as it was, or removes it where there was none. */
    void restore(String id, HistoryEntry previous) {
        if (previous == null) {
            run(mapper -> mapper.deleteHistory(id));
        } else {
            save(previous);
        }
    }

    void add(JournalEntry entry) {
        run(mapper -> mapper.insertEntry(entry));
    }

    List<JournalEntry> entries(String migrationId) {
        return call(mapper -> mapper.entries(migrationId));
    }

    void delete(String migrationId, String kind) {
        run(mapper -> mapper.deleteEntries(migrationId, kind));
    }
}
