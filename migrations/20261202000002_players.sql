-- Players (app/GAME.md, "Players"). A press carries the keyed hash of its player's token, never
-- the token; NULL for an anonymous press (and for presses applied before players existed).
ALTER TABLE presses ADD COLUMN player TEXT CHECK (player ~ '^[0-9a-f]{32}$');
CREATE INDEX presses_player_seq ON presses (player, seq DESC) WHERE player IS NOT NULL;

-- Each player's totals, kept by the reducer in the same transaction as the presses they count,
-- so that a crash never gives or loses any. The handle is derived from `player` (the game's word
-- lists); two players may share one, and the API then sums them.
CREATE TABLE players (
    player             TEXT PRIMARY KEY CHECK (player ~ '^[0-9a-f]{32}$'),
    handle             TEXT NOT NULL,
    presses            BIGINT NOT NULL CHECK (presses > 0),
    tips               BIGINT NOT NULL CHECK (tips >= 0),
    first_press_at_ms  BIGINT NOT NULL,
    last_press_at_ms   BIGINT NOT NULL
);
CREATE INDEX players_handle ON players (handle);

-- A player's shelf: how many of their presses earned each kind of flair (by name).
CREATE TABLE player_flair (
    player  TEXT NOT NULL REFERENCES players (player),
    flair   TEXT NOT NULL,
    count   BIGINT NOT NULL CHECK (count > 0),
    PRIMARY KEY (player, flair)
);
