//! Moments as the API and the live stream carry them (`/v1/moments`, the `moment` event).

use serde::{Deserialize, Serialize};

use crate::game::{Moment, MomentKind, PressId};

/// One moment of the game, as players see it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MomentEntry {
    /// The stream sequence of the event that made it: newer moments have higher ones.
    pub seq: u64,
    /// When it happened (state time, milliseconds since the Unix epoch).
    pub at_ms: i64,
    /// What happened: `kind` names it, and its fields say the rest.
    #[serde(flatten)]
    pub what: MomentKind,
    /// The press that made it, when a press did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub press_id: Option<PressId>,
    /// Who pressed it, when that press came with a player.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handle: Option<String>,
}

impl MomentEntry {
    /// What identifies a moment: the seq of the event that made it, and its kind. Newer moments
    /// have greater identities.
    pub fn identity(&self) -> (u64, &'static str) {
        (self.seq, self.what.name())
    }
}

impl From<&Moment> for MomentEntry {
    fn from(moment: &Moment) -> MomentEntry {
        MomentEntry {
            seq: moment.seq,
            at_ms: moment.at_ms,
            what: moment.kind,
            press_id: moment.press_id,
            handle: moment.player.map(|p| p.handle().to_string()),
        }
    }
}

/// A page of moments, newest first (`GET /v1/moments`).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Moments {
    /// Newest first.
    pub moments: Vec<MomentEntry>,
}

impl Moments {
    /// How many the page keeps while it is open.
    pub const LEN: usize = 50;

    /// Adds `newer` in front, keeping the newest [`Moments::LEN`], each once.
    pub fn merge(&mut self, newer: impl IntoIterator<Item = MomentEntry>) {
        self.moments.extend(newer);
        self.moments
            .sort_by_key(|m| std::cmp::Reverse(m.identity()));
        self.moments.dedup_by_key(|m| m.identity());
        self.moments.truncate(Moments::LEN);
    }

    /// The newest moment's identity, if there is one.
    pub fn newest(&self) -> Option<(u64, &'static str)> {
        self.moments.first().map(MomentEntry::identity)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::Phase;

    #[test]
    fn a_tip_on_the_wire_says_what_who_and_which_press() {
        let entry = MomentEntry {
            seq: 42,
            at_ms: 1_700_000_000_000,
            what: MomentKind::Tip {
                phase: Phase::Chaos,
                counter: 40,
            },
            press_id: None,
            handle: Some("daring-goose-479".into()),
        };
        let json = serde_json::to_value(&entry).unwrap_or_default();
        assert_eq!(
            json,
            serde_json::json!({
                "seq": 42, "at_ms": 1_700_000_000_000_i64, "kind": "tip", "phase": "CHAOS",
                "counter": 40, "handle": "daring-goose-479"
            })
        );
        let back: Result<MomentEntry, _> = serde_json::from_value(json);
        assert_eq!(back.ok(), Some(entry));
    }

    #[test]
    fn merging_keeps_the_newest_each_once() {
        let at = |seq| MomentEntry {
            seq,
            at_ms: 0,
            what: MomentKind::Milestone { counter: seq },
            press_id: None,
            handle: None,
        };
        let mut moments = Moments {
            moments: vec![at(2), at(1)],
        };
        moments.merge([at(3), at(2)]);
        let seqs: Vec<u64> = moments.moments.iter().map(|m| m.seq).collect();
        assert_eq!(seqs, [3, 2, 1]);
    }
}
