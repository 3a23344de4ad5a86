-- The Button's history: the rules it ran with, every committed state, every applied press.

-- Each set of rules the game ever ran with, by the SHA-256 of its canonical JSON.
CREATE TABLE rules (
    hash            TEXT PRIMARY KEY CHECK (hash ~ '^[0-9a-f]{64}$'),
    canonical_json  TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One row per committed change of the global state (GAME.md's fields): the game's history.
-- Written only by the reducer; the newest row (highest id) is the current state.
CREATE TABLE states (
    id                    BIGINT PRIMARY KEY CHECK (id > 0),
    last_applied_seq      BIGINT NOT NULL CHECK (last_applied_seq >= 0),
    counter               BIGINT NOT NULL CHECK (counter >= 0),
    phase                 SMALLINT NOT NULL CHECK (phase BETWEEN 0 AND 3),
    entropy               DOUBLE PRECISION NOT NULL CHECK (entropy >= 0 AND entropy < 1),
    entropy_half_life_ms  BIGINT NOT NULL,
    phase_since_ms        BIGINT NOT NULL,
    last_press_at_ms      BIGINT,
    calm_down_at_ms       BIGINT,
    cooldown_ms           BIGINT NOT NULL,
    difficulty            INTEGER NOT NULL,
    reveal_until_ms       BIGINT,
    tipped_by             UUID,
    updated_at_ms         BIGINT NOT NULL,
    rules_hash            TEXT NOT NULL REFERENCES rules (hash),
    committed_at          TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Every applied press: its receipt. `client_key` is a salted hash, never a raw IP.
CREATE TABLE presses (
    press_id        UUID PRIMARY KEY,
    challenge_id    TEXT NOT NULL UNIQUE,
    seq             BIGINT NOT NULL UNIQUE,
    received_at_ms  BIGINT NOT NULL,
    applied_at_ms   BIGINT NOT NULL,
    state_id        BIGINT NOT NULL REFERENCES states (id),
    counter         BIGINT NOT NULL,
    phase           SMALLINT NOT NULL CHECK (phase BETWEEN 0 AND 3),
    tipped          BOOLEAN NOT NULL,
    client_key      TEXT NOT NULL
);

CREATE INDEX presses_state_id ON presses (state_id);
