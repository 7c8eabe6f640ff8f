package dev.safemigrate.core.internal;

import dev.safemigrate.core.HistoryEntry;
import dev.safemigrate.core.spi.JournalEntry;
import dev.safemigrate.core.spi.JournalKind;
import dev.safemigrate.core.spi.RunJournal;
import java.sql.Connection;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;

/**
 * The history and journal tables, read and written through MyBatis on the run's own connection, so
 * that journal writes commit (or roll back) with the transaction they belong to. A dry run writes
 * none of it ({@link DryRunJournal}).
 */
class Journal {
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

    private void run(Consumer<JournalMapper> work) {
        call(mapper -> {
            work.accept(mapper);
            return null;
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

    /** The journal of migration {@code migrationId}; entries it adds follow the ones already there. */
    RunJournal of(String migrationId) {
        return new RunJournal() {
            @Override
            public void add(JournalKind kind, String tableSchema, String tableName, String objectName, String statement, String undoStatement) {
                run(mapper -> {
                    mapper.insertEntry(new JournalEntry(migrationId, mapper.lastSeq(migrationId) + 1, kind, tableSchema, tableName, objectName,
                            statement, undoStatement));
                });
            }

            @Override
            public List<JournalEntry> entries() {
                return call(mapper -> mapper.entries(migrationId));
            }

            @Override
            public void delete(JournalKind kind) {
                run(mapper -> mapper.deleteEntries(migrationId, kind));
            }
        };
    }
}
