//! The live feed: the newest applied presses, as the page lists them (the `feed` event of the
//! live stream, and the receipts of a player's newest presses).

use serde::{Deserialize, Serialize};

use crate::game::{Country, Flair, FlairSet, Phase, Player, PressId, PressReceipt, press_line};

/// One applied press, as the crowd sees it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedEntry {
    /// The press (its page is `/p/{press_id}`).
    pub press_id: PressId,
    /// Its place in the total order of events: newer presses have higher ones.
    pub seq: u64,
    /// Its number: "press #12,345".
    pub counter: u64,
    /// Who pressed; none for an anonymous press.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handle: Option<String>,
    /// The phase right after it.
    pub phase: Phase,
    /// Whether it took the phase up: "tipped it!".
    pub tipped: bool,
    /// What it earned.
    pub flair: Vec<Flair>,
    /// When it was applied (state time, milliseconds since the Unix epoch).
    pub applied_at_ms: i64,
}

impl FeedEntry {
    /// The entry of an applied press, by `player`.
    pub fn new(receipt: &PressReceipt, player: Option<Player>) -> FeedEntry {
        FeedEntry {
            press_id: receipt.press_id,
            seq: receipt.seq,
            counter: receipt.counter,
            handle: player.map(|p| p.handle().to_string()),
            phase: receipt.phase,
            tipped: receipt.tipped,
            flair: receipt.flair.iter().collect(),
            applied_at_ms: receipt.applied_at_ms,
        }
    }

    /// The line it got (GAME.md, "Lines").
    pub fn line(&self) -> &'static str {
        press_line(
            self.press_id,
            self.phase,
            self.flair.iter().copied().collect::<FlairSet>(),
        )
    }
}

/// One line of the press log (`GET /v1/presses`): the press as the feed shows it, and the
/// country it came from (never a network address, never a token).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoggedPress {
    /// The press.
    #[serde(flatten)]
    pub entry: FeedEntry,
    /// Its country (ISO 3166-1 alpha-2), when the web server's database knew it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>, example = "JP"))]
    pub country: Option<Country>,
}

/// The feed as the live stream sends it: the newest entries, newest first. A client that missed
/// some simply shows these: the feed is a glimpse of the crowd, not a ledger.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Feed {
    /// Newest first, at most [`Feed::LEN`].
    pub entries: Vec<FeedEntry>,
}

impl Feed {
    /// How many entries the feed holds.
    pub const LEN: usize = 12;

    /// Adds `newer` (any order) in front, keeping the newest [`Feed::LEN`] by `seq`, each once.
    pub fn merge(&mut self, newer: impl IntoIterator<Item = FeedEntry>) {
        self.entries.extend(newer);
        self.entries
            .sort_by_key(|entry| std::cmp::Reverse(entry.seq));
        self.entries.dedup_by_key(|entry| entry.seq);
        self.entries.truncate(Feed::LEN);
    }

    /// The newest entry's `seq` (0 when empty).
    pub fn newest_seq(&self) -> u64 {
        self.entries.first().map_or(0, |entry| entry.seq)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(seq: u64) -> FeedEntry {
        FeedEntry {
            press_id: PressId(uuid::Uuid::from_u128(u128::from(seq))),
            seq,
            counter: seq,
            handle: None,
            phase: Phase::Calm,
            tipped: false,
            flair: vec![Flair::Calm],
            applied_at_ms: 0,
        }
    }

    #[test]
    fn the_feed_keeps_the_newest_presses_once_newest_first() {
        let mut feed = Feed::default();
        feed.merge((1..=5).map(entry));
        feed.merge([entry(4), entry(20), entry(3)]);
        feed.merge((6..=19).rev().map(entry));
        let seqs: Vec<u64> = feed.entries.iter().map(|e| e.seq).collect();
        assert_eq!(seqs, (9..=20).rev().collect::<Vec<_>>());
        assert_eq!(feed.newest_seq(), 20);
        assert_eq!(Feed::default().newest_seq(), 0);
    }
}
