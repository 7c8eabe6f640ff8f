-- Set-based generator (H2 SYSTEM_RANGE). Same data as sql/postgres/generate.sql.
-- run.sh repeats each statement marked @CHUNK@ over ranges of 500,000 rows (each its own transaction:
-- one multi-million-row INSERT makes H2's undo log and file balloon).
DROP TABLE IF EXISTS invariant_checks;
DROP TABLE IF EXISTS action_invariants;
CREATE TABLE action_invariants (
    id          BIGINT       PRIMARY KEY,
    action_name VARCHAR(100) NOT NULL,
    position    INT          NOT NULL,
    expression  VARCHAR(200) NOT NULL,
    created_at  TIMESTAMP    NOT NULL
);
CREATE TABLE invariant_checks (
    id           BIGINT      PRIMARY KEY,
    invariant_id BIGINT      NOT NULL,
    outcome      VARCHAR(20) NOT NULL,
    checked_at   TIMESTAMP   NOT NULL
);
INSERT INTO action_invariants (id, action_name, position, expression, created_at)
SELECT MOD(X * 7919, @N@) + 1, 'action_' || (k / 10), CAST(MOD(k, 10) AS INT), 'expr_' || X,
       DATEADD(SECOND, X, TIMESTAMP '2024-01-01 00:00:00')
FROM (SELECT X, CASE WHEN X < @D@ THEN X ELSE MOD(X * 104729, @D@) END AS k FROM SYSTEM_RANGE(@LO@, @HI@)) g; -- @CHUNK@ parent
INSERT INTO invariant_checks (id, invariant_id, outcome, checked_at)
SELECT X + 1, MOD(X * 15485863, @N@) + 1, CASE MOD(X, 3) WHEN 0 THEN 'pass' WHEN 1 THEN 'fail' ELSE 'skipped' END,
       DATEADD(SECOND, X, TIMESTAMP '2024-06-01 00:00:00')
FROM SYSTEM_RANGE(@LO@, @HI@); -- @CHUNK@ child
CREATE INDEX invariant_checks_invariant_id_ix ON invariant_checks (invariant_id);
ALTER TABLE invariant_checks ADD CONSTRAINT invariant_checks_invariant_id_fk FOREIGN KEY (invariant_id) REFERENCES action_invariants (id);
ANALYZE;
