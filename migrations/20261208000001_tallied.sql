-- The tally (server/src/db/tally.rs; app/GAME.md, "Leaderboards"): the leaderboards (`scores`),
-- the presses per country (`country_days`) and each minute's players (`minute_players`,
-- `minutes.players`) are no longer written with every batch but summed by the reducer and
-- written every few seconds. `through_seq` is the stream seq every press up to which they count:
-- a reducer that starts tallies again the presses after it (the truth stays `presses`).
CREATE TABLE tallied (
    one_row      BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one_row),
    through_seq  BIGINT NOT NULL CHECK (through_seq >= 0)
);

-- Until now every press was tallied in the transaction that stored it.
INSERT INTO tallied (through_seq) SELECT COALESCE(max(seq), 0) FROM presses;
