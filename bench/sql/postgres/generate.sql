-- Set-based generator. @N@ parent rows, @D@ distinct keys (so @N@ - @D@ duplicates, ~10%), @C@ child rows.
-- Row i (0-based) gets key k = i for i < @D@, else a scattered existing key; ids are a permutation of
-- 1..@N@ (i * 7919 mod @N@), so the survivor (lowest id) of a group is not always the row inserted first.
\set ON_ERROR_STOP on
DROP TABLE IF EXISTS invariant_checks, action_invariants;
CREATE TABLE action_invariants (
    id          bigint       PRIMARY KEY,
    action_name varchar(100) NOT NULL,
    position    integer      NOT NULL,
    expression  varchar(200) NOT NULL,
    created_at  timestamp    NOT NULL
);
CREATE TABLE invariant_checks (
    id           bigint      PRIMARY KEY,
    invariant_id bigint      NOT NULL REFERENCES action_invariants (id),
    outcome      varchar(20) NOT NULL,
    checked_at   timestamp   NOT NULL
);
INSERT INTO action_invariants (id, action_name, position, expression, created_at)
SELECT (i * 7919) % @N@ + 1, 'action_' || (k / 10), (k % 10)::int, 'expr_' || i, timestamp '2024-01-01' + i * interval '1 second'
FROM (SELECT i, CASE WHEN i < @D@ THEN i ELSE (i * 104729) % @D@ END AS k
      FROM generate_series(0::bigint, @N@ - 1) AS i) g
ORDER BY 1;
INSERT INTO invariant_checks (id, invariant_id, outcome, checked_at)
SELECT j + 1, (j * 15485863) % @N@ + 1, CASE j % 3 WHEN 0 THEN 'pass' WHEN 1 THEN 'fail' ELSE 'skipped' END,
       timestamp '2024-06-01' + j * interval '1 second'
FROM generate_series(0::bigint, @C@ - 1) AS j;
CREATE INDEX invariant_checks_invariant_id_ix ON invariant_checks (invariant_id);
VACUUM ANALYZE action_invariants;
VACUUM ANALYZE invariant_checks;
