-- The flair each press earned (app/GAME.md, "Flair"): written by the reducer with the press, in
-- the same transaction. Kinds by name (calm, warm, hot, chaos, tipper, milestone, rekindler), so
-- a query reads as the game speaks: 'tipper' = ANY(flair). Presses applied before flair existed
-- earned none.
ALTER TABLE presses ADD COLUMN flair TEXT[] NOT NULL DEFAULT '{}';
