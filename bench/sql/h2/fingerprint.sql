SELECT 'parent', COUNT(*), SUM(id), SUM(MOD(position * id, 1000003)), SUM(ORA_HASH(CONCAT_WS(':', id, action_name, position, expression, created_at))) FROM action_invariants
UNION ALL
SELECT 'child', COUNT(*), SUM(invariant_id), SUM(MOD(id * invariant_id, 1000003)), SUM(ORA_HASH(CONCAT_WS(':', id, invariant_id, outcome, checked_at))) FROM invariant_checks
UNION ALL
SELECT 'unique', COUNT(*), NULL, NULL, NULL FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS WHERE UPPER(CONSTRAINT_NAME) = 'UQ_ACTION_INVARIANTS_ACTION_POSITION';
