-- The game's memory (app/GAME.md, "History", "Moments", "Leaderboards"): kept by the reducer in
-- the transaction that commits the state it comes from, so that a crash never gives or loses
-- any, and so that charts and boards never scan `presses`.

-- The records moments are measured against, committed with each state. NULL for states
-- committed before the game had a memory: it starts from no records.
ALTER TABLE states ADD COLUMN records JSONB;

-- One row per minute something happened in: presses, the most distinct players, the highest
-- entropy a press left, and the time spent above CALM (CALM is the rest of the minute).
CREATE TABLE minutes (
    minute_ms     BIGINT PRIMARY KEY CHECK (minute_ms % 60000 = 0),
    presses       BIGINT NOT NULL CHECK (presses >= 0),
    players       BIGINT NOT NULL DEFAULT 0 CHECK (players >= 0),
    peak_entropy  DOUBLE PRECISION NOT NULL CHECK (peak_entropy >= 0 AND peak_entropy < 1),
    warm_ms       BIGINT NOT NULL CHECK (warm_ms BETWEEN 0 AND 60000),
    hot_ms        BIGINT NOT NULL CHECK (hot_ms BETWEEN 0 AND 60000),
    chaos_ms      BIGINT NOT NULL CHECK (chaos_ms BETWEEN 0 AND 60000)
);

-- Who pressed in which minute: how `minutes.players` counts each player once.
CREATE TABLE minute_players (
    minute_ms  BIGINT NOT NULL,
    player     TEXT NOT NULL CHECK (player ~ '^[0-9a-f]{32}$'),
    PRIMARY KEY (minute_ms, player)
);

-- The moments, identified by the event that made them and their kind. `detail` is the kind's
-- JSON (app::game::MomentKind); `value` is what the moments' boards rank by.
CREATE TABLE moments (
    seq       BIGINT NOT NULL,
    kind      TEXT NOT NULL,
    at_ms     BIGINT NOT NULL,
    value     BIGINT NOT NULL,
    detail    JSONB NOT NULL,
    press_id  UUID,
    player    TEXT CHECK (player ~ '^[0-9a-f]{32}$'),
    PRIMARY KEY (seq, kind)
);
CREATE INDEX moments_board ON moments (kind, value, seq);

-- The players' leaderboards: one score per period ('all', or a UTC date 'YYYY-MM-DD'), board
-- (app::game::Board) and player; read top-down through `scores_rank`.
CREATE TABLE scores (
    period  TEXT NOT NULL,
    board   TEXT NOT NULL,
    player  TEXT NOT NULL CHECK (player ~ '^[0-9a-f]{32}$'),
    score   BIGINT NOT NULL CHECK (score > 0),
    PRIMARY KEY (period, board, player)
);
CREATE INDEX scores_rank ON scores (period, board, score DESC, player);

-- Countries, without an address: the web server looks the client's address up in an offline
-- database and only the country code (ISO 3166-1 alpha-2) travels with the press. NULL when the
-- database did not know it (or was missing).
ALTER TABLE presses ADD COLUMN country TEXT CHECK (country ~ '^[A-Z]{2}$');

-- Presses per country per UTC day ('YYYY-MM-DD'); 'unknown' counts the presses of no known
-- country. The API names a country only from `country_k` presses in a day on.
CREATE TABLE country_days (
    day      TEXT NOT NULL,
    country  TEXT NOT NULL CHECK (country ~ '^[A-Z]{2}$' OR country = 'unknown'),
    presses  BIGINT NOT NULL CHECK (presses > 0),
    PRIMARY KEY (day, country)
);
