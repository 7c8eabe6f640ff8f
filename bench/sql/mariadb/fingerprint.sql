SELECT 'parent', COUNT(*), SUM(id), SUM(position * id % 1000003), BIT_XOR(CRC32(CONCAT_WS(':', id, action_name, position, expression, created_at)))
FROM action_invariants
UNION ALL
SELECT 'parent_crcsum', COUNT(*), NULL, NULL, SUM(CRC32(CONCAT_WS('|', id, action_name, position, expression, created_at))) FROM action_invariants
UNION ALL
SELECT 'child', COUNT(*), SUM(invariant_id), SUM(id * invariant_id % 1000003), BIT_XOR(CRC32(CONCAT_WS(':', id, invariant_id, outcome, checked_at)))
FROM invariant_checks
UNION ALL
SELECT 'child_crcsum', COUNT(*), NULL, NULL, SUM(CRC32(CONCAT_WS('|', id, invariant_id, outcome, checked_at))) FROM invariant_checks
UNION ALL
SELECT 'unique', COUNT(*), NULL, NULL, NULL FROM information_schema.table_constraints
WHERE table_schema = DATABASE() AND constraint_name = 'uq_action_invariants_action_position';
