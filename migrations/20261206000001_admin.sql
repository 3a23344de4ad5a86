-- Operators' controls (app/GAME.md, "Operators"): a state says its season and whether the game
-- is paused, and every command an operator gave is kept, by the reducer, in the transaction that
-- commits the state it made.
ALTER TABLE states ADD COLUMN season INTEGER NOT NULL DEFAULT 1 CHECK (season >= 1);
ALTER TABLE states ADD COLUMN paused BOOLEAN NOT NULL DEFAULT FALSE;

-- The audit of the operators' commands: who (an admin token's name, never the token), what,
-- when, and the state it took effect in. One row per command, by its stream position.
CREATE TABLE admin_actions (
    seq         BIGINT PRIMARY KEY,
    action_id   UUID NOT NULL UNIQUE,
    state_id    BIGINT NOT NULL REFERENCES states (id),
    by_name     TEXT NOT NULL,
    command     TEXT NOT NULL CHECK (command IN ('pause', 'resume', 'new_season', 'rules')),
    rules_hash  TEXT REFERENCES rules (hash),
    message     TEXT,
    season      INTEGER NOT NULL,
    at_ms       BIGINT NOT NULL
);
