-- The reducer writes each state and its presses in one transaction, and it is the only writer:
-- a press's state always exists. The foreign key checked it again for every press (a lookup in
-- `states` per row, the reducer's hottest insert), and `presses_state_id` indexed a column no
-- query filters on. Both go; `state_id` stays, as the receipt's state.
ALTER TABLE presses DROP CONSTRAINT IF EXISTS presses_state_id_fkey;
DROP INDEX IF EXISTS presses_state_id;
