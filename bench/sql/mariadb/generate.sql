-- Set-based generator (MariaDB SEQUENCE engine: seq_0_to_N). Same data as sql/postgres/generate.sql.
DROP TABLE IF EXISTS invariant_checks, action_invariants;
CREATE TABLE action_invariants (
    id          BIGINT       NOT NULL PRIMARY KEY,
    action_name VARCHAR(100) NOT NULL,
    position    INT          NOT NULL,
    expression  VARCHAR(200) NOT NULL,
    created_at  DATETIME     NOT NULL
) ENGINE=InnoDB;
CREATE TABLE invariant_checks (
    id           BIGINT      NOT NULL PRIMARY KEY,
    invariant_id BIGINT      NOT NULL,
    outcome      VARCHAR(20) NOT NULL,
    checked_at   DATETIME    NOT NULL,
    KEY invariant_checks_invariant_id_ix (invariant_id),
    CONSTRAINT invariant_checks_invariant_id_fk FOREIGN KEY (invariant_id) REFERENCES action_invariants (id)
) ENGINE=InnoDB;
SET foreign_key_checks = 0, unique_checks = 0;
INSERT INTO action_invariants (id, action_name, position, expression, created_at)
SELECT (seq * 7919) % @N@ + 1, CONCAT('action_', k DIV 10), k % 10, CONCAT('expr_', seq), TIMESTAMP '2024-01-01 00:00:00' + INTERVAL seq SECOND
FROM (SELECT seq, CASE WHEN seq < @D@ THEN seq ELSE (seq * 104729) % @D@ END AS k FROM seq_0_to_@N1@) g
ORDER BY 1;
INSERT INTO invariant_checks (id, invariant_id, outcome, checked_at)
SELECT seq + 1, (seq * 15485863) % @N@ + 1, ELT(seq % 3 + 1, 'pass', 'fail', 'skipped'), TIMESTAMP '2024-06-01 00:00:00' + INTERVAL seq SECOND
FROM seq_0_to_@C1@;
SET foreign_key_checks = 1, unique_checks = 1;
ANALYZE TABLE action_invariants, invariant_checks;
