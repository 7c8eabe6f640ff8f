-- safemigrate example: action_invariants (PostgreSQL). Schema and seed data; re-running it starts over.
-- Run it with: psql -h 127.0.0.1 -U postgres -d test -f examples/action_invariants/postgres.sql

DROP TABLE IF EXISTS invariant_checks;
DROP TABLE IF EXISTS action_invariants;
DROP TABLE IF EXISTS action_arguments;

CREATE TABLE action_invariants (
  id          INTEGER PRIMARY KEY,
  action_name VARCHAR(100) NOT NULL,
  position    INTEGER NOT NULL,
  expression  VARCHAR(200)
);

CREATE TABLE invariant_checks (
  id           INTEGER PRIMARY KEY,
  invariant_id INTEGER NOT NULL,
  outcome      VARCHAR(20) NOT NULL,
  checked_at   TIMESTAMP,
  CONSTRAINT fk_invariant_checks_invariant FOREIGN KEY (invariant_id) REFERENCES action_invariants (id)
);

CREATE TABLE action_arguments (
  id          INTEGER PRIMARY KEY,
  action_name VARCHAR(100) NOT NULL,
  name        VARCHAR(100) NOT NULL,
  position    INTEGER NOT NULL,
  type_name   VARCHAR(50)
);

-- action_invariants: duplicates on (action_name, position) are 3, 8 (of 1), 5 (of 2) and 7 (of 4).
-- The lowest id of each group survives: 1, 2, 4, 6, 9, 10, 11.
INSERT INTO action_invariants (id, action_name, position, expression) VALUES
  (1, 'deploy', 0, 'replicas >= 1'),
  (2, 'deploy', 1, 'image is signed'),
  (3, 'deploy', 0, 'replicas >= 1'),
  (4, 'rollback', 0, 'previous release exists'),
  (5, 'deploy', 1, 'image signed'),
  (6, 'rollback', 1, 'schema is backward compatible'),
  (7, 'rollback', 0, NULL),
  (8, 'deploy', 0, 'replicas > 0'),
  (9, 'scale', 0, 'replicas <= 50'),
  (10, 'scale', 2, 'budget approved'),
  (11, 'rollback', 2, NULL);

-- invariant_checks: 101 and 103 and 107 point at duplicates of 1, 102 at a duplicate of 2, 104 at a duplicate of 4.
-- After the migration: 100 -> 1, 101 -> 1, 102 -> 2, 103 -> 1, 104 -> 4, 105 -> 9, 106 -> 2, 107 -> 1.
INSERT INTO invariant_checks (id, invariant_id, outcome, checked_at) VALUES
  (100, 1, 'pass', '2025-01-10 09:00:00'),
  (101, 3, 'pass', '2025-01-10 09:00:01'),
  (102, 5, 'fail', '2025-01-10 09:00:02'),
  (103, 8, 'pass', NULL),
  (104, 7, 'pass', '2025-01-11 10:30:00'),
  (105, 9, 'pass', '2025-01-11 10:30:01'),
  (106, 2, 'pass', '2025-01-11 10:30:02'),
  (107, 8, 'fail', '2025-01-12 08:15:00');

-- action_arguments: duplicates on (action_name, name) are 3 (of 1), 10 (of 2: lower position, higher id),
-- 7 (of 5) and 15 (of 9). Positions have gaps and ties; after the dedupe they are renumbered from 0 within
-- each action_name in (position, id) order:
--   deploy:   1 -> 0, 2 -> 1, 4 -> 2, 12 -> 3     rollback: 5 -> 0, 6 -> 1
--   scale:    9 -> 0, 11 -> 1, 8 -> 2             restart:  13 -> 0, 14 -> 1 (already dense)
INSERT INTO action_arguments (id, action_name, name, position, type_name) VALUES
  (1, 'deploy', 'target', 0, 'string'),
  (2, 'deploy', 'version', 2, 'string'),
  (3, 'deploy', 'target', 5, 'string'),
  (4, 'deploy', 'force', 7, 'boolean'),
  (5, 'rollback', 'target', 1, 'string'),
  (6, 'rollback', 'to_version', 1, 'string'),
  (7, 'rollback', 'target', 3, 'string'),
  (8, 'scale', 'replicas', 10, 'int'),
  (9, 'scale', 'target', 4, 'string'),
  (10, 'deploy', 'version', 1, 'string'),
  (11, 'scale', 'wait', 4, 'boolean'),
  (12, 'deploy', 'dry_run', 7, 'boolean'),
  (13, 'restart', 'grace', 0, 'duration'),
  (14, 'restart', 'signal', 1, 'string'),
  (15, 'scale', 'target', 4, 'string');
