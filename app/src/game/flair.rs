//! Flair: what a press earns, decided by the rules from the state it was applied to (GAME.md,
//! "Flair"). Pure, like the rest of the rules: the reducer stores it with the press, so a crash
//! never gives or loses any.

use serde::{Deserialize, Serialize};

use super::Phase;

/// One kind of flair.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Flair {
    /// Pressed while the button was CALM.
    Calm,
    /// Pressed while it was WARM.
    Warm,
    /// Pressed while it was HOT.
    Hot,
    /// Pressed in CHAOS.
    Chaos,
    /// Took the phase up.
    Tipper,
    /// Press number 1, 1,000, 10,000, 100,000, …
    Milestone,
    /// The first press after the phase calmed down: it woke the button up again.
    Rekindler,
}

impl Flair {
    /// Every kind, in the order a shelf shows them.
    pub const ALL: [Flair; 7] = [
        Flair::Calm,
        Flair::Warm,
        Flair::Hot,
        Flair::Chaos,
        Flair::Tipper,
        Flair::Milestone,
        Flair::Rekindler,
    ];

    /// The flair of pressing in `phase`.
    pub fn of_phase(phase: Phase) -> Flair {
        match phase {
            Phase::Calm => Flair::Calm,
            Phase::Warm => Flair::Warm,
            Phase::Hot => Flair::Hot,
            Phase::Chaos => Flair::Chaos,
        }
    }

    /// Its name, as on the wire and in PostgreSQL.
    pub fn as_str(self) -> &'static str {
        match self {
            Flair::Calm => "calm",
            Flair::Warm => "warm",
            Flair::Hot => "hot",
            Flair::Chaos => "chaos",
            Flair::Tipper => "tipper",
            Flair::Milestone => "milestone",
            Flair::Rekindler => "rekindler",
        }
    }

    /// The kind named `name`.
    pub fn from_name(name: &str) -> Option<Flair> {
        Flair::ALL.into_iter().find(|f| f.as_str() == name)
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// The flair one press earned: a small set, `Copy` like the receipt that carries it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct FlairSet(u8);

impl FlairSet {
    /// What a press earns, from what the rules know when they apply it: the phase it counted in
    /// (right after it), whether it tipped the phase up, its number, and whether the phase had
    /// calmed down since the press before it.
    pub fn earned(phase: Phase, tipped: bool, counter: u64, rekindled: bool) -> FlairSet {
        let mut set = FlairSet::default();
        set.insert(Flair::of_phase(phase));
        if tipped {
            set.insert(Flair::Tipper);
        }
        if is_milestone(counter) {
            set.insert(Flair::Milestone);
        }
        if rekindled {
            set.insert(Flair::Rekindler);
        }
        set
    }

    /// Adds `flair`.
    pub fn insert(&mut self, flair: Flair) {
        self.0 |= flair.bit();
    }

    /// Whether it holds `flair`.
    pub fn contains(self, flair: Flair) -> bool {
        self.0 & flair.bit() != 0
    }

    /// The kinds it holds, in [`Flair::ALL`]'s order.
    pub fn iter(self) -> impl Iterator<Item = Flair> {
        Flair::ALL.into_iter().filter(move |f| self.contains(*f))
    }

    /// How many kinds it holds.
    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// Whether it holds none (never so for a press: each earns its phase's).
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

impl FromIterator<Flair> for FlairSet {
    fn from_iter<I: IntoIterator<Item = Flair>>(kinds: I) -> FlairSet {
        let mut set = FlairSet::default();
        for kind in kinds {
            set.insert(kind);
        }
        set
    }
}

/// Press number 1, then every power of ten from 1,000 on.
pub fn is_milestone(counter: u64) -> bool {
    if counter == 1 {
        return true;
    }
    let mut n = counter;
    let mut zeros = 0;
    while n >= 10 && n.is_multiple_of(10) {
        n /= 10;
        zeros += 1;
    }
    n == 1 && zeros >= 3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn milestones_are_the_first_press_and_the_powers_of_ten_from_a_thousand() {
        let milestones: Vec<u64> = (0..=1_000_000).filter(|n| is_milestone(*n)).collect();
        assert_eq!(milestones, [1, 1_000, 10_000, 100_000, 1_000_000]);
        assert!(is_milestone(10_000_000_000_000_000_000));
        assert!(!is_milestone(u64::MAX));
    }

    #[test]
    fn names_are_the_wire_names_and_read_back() {
        for flair in Flair::ALL {
            let json = serde_json::to_string(&flair).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", flair.as_str()));
            assert_eq!(Flair::from_name(flair.as_str()), Some(flair));
        }
        assert_eq!(Flair::from_name("gold"), None);
    }

    #[test]
    fn a_press_always_earns_its_phase_and_only_what_happened() {
        let plain = FlairSet::earned(Phase::Hot, false, 42, false);
        assert_eq!(plain.iter().collect::<Vec<_>>(), [Flair::Hot]);
        let everything = FlairSet::earned(Phase::Chaos, true, 1_000, true);
        assert_eq!(
            everything.iter().collect::<Vec<_>>(),
            [
                Flair::Chaos,
                Flair::Tipper,
                Flair::Milestone,
                Flair::Rekindler
            ]
        );
        assert_eq!(everything.len(), 4);
        assert!(!FlairSet::earned(Phase::Calm, false, 2, false).is_empty());
    }
}
