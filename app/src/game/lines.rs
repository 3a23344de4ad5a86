//! The line a press gets: one of the short, funny lines below, fitting what happened (a
//! milestone, a tip, a rekindling, else the phase it counted in), chosen from the press's id so
//! that its receipt, the feed and its page always tell the same one. A press refused for the
//! cooldown gets one too.

use super::{Flair, FlairSet, Phase, PressId};

/// The line of a press that earned `flair` in `phase`.
pub fn press_line(press_id: PressId, phase: Phase, flair: FlairSet) -> &'static str {
    let lines: &[&str] = if flair.contains(Flair::Milestone) {
        &MILESTONE
    } else if flair.contains(Flair::Tipper) {
        &TIPPED
    } else if flair.contains(Flair::Rekindler) {
        &REKINDLED
    } else {
        match phase {
            Phase::Calm => &CALM,
            Phase::Warm => &WARM,
            Phase::Hot => &HOT,
            Phase::Chaos => &CHAOS,
        }
    };
    pick(lines, press_id.0.as_u128())
}

/// The line of a press refused for the cooldown, from any number the refusal has (its
/// challenge, its time).
pub fn cooldown_line(seed: u64) -> &'static str {
    pick(&COOLDOWN, u128::from(seed))
}

fn pick(lines: &'static [&'static str], seed: u128) -> &'static str {
    let len = u128::try_from(lines.len()).unwrap_or(1).max(1);
    let index = usize::try_from(seed % len).unwrap_or(0);
    lines.get(index).copied().unwrap_or("")
}

const CALM: [&str; 8] = [
    "A gentle boop. The button barely noticed.",
    "Calm as a cucumber, pressed like a pro.",
    "You pressed. The button yawned.",
    "Somewhere, a zen master nods.",
    "Quiet day at the office, huh?",
    "Soft press, big heart.",
    "The button appreciates your restraint.",
    "Tap. Tranquil. Tremendous.",
];

const WARM: [&str; 8] = [
    "Things are heating up, and it's partly your fault.",
    "Warm hands, warm button.",
    "The button is starting to sweat.",
    "You turned the thermostat up a notch.",
    "Toasty. Keep it coming.",
    "The crowd murmurs. Something is happening.",
    "Lukewarm? Never heard of it.",
    "A fine press for a warm day.",
];

const HOT: [&str; 8] = [
    "Careful, it's hot!",
    "Your finger may need some ice.",
    "The button is on fire and so are you.",
    "Sizzling press, chef.",
    "Hot hot hot!",
    "Someone call the fire brigade.",
    "That one left a mark.",
    "Spicy.",
];

const CHAOS: [&str; 8] = [
    "CHAOS! Nobody knows what's going on!",
    "You pressed into the void, and the void pressed back.",
    "Pure pandemonium, delivered.",
    "The button has lost all composure.",
    "Mayhem mode engaged.",
    "Everything is fine. Everything is on fire.",
    "Even the button is screaming now.",
    "Press first, ask questions never.",
];

const TIPPED: [&str; 6] = [
    "You tipped it! Look what you did.",
    "Up a phase, thanks to you.",
    "The straw that broke the button's back.",
    "You pushed it over the edge!",
    "Phase change! Somebody write that down.",
    "That's what we call a game changer.",
];

const MILESTONE: [&str; 4] = [
    "A milestone press! Frame this one.",
    "Round numbers, big moments: this is yours.",
    "History will remember this press.",
    "Confetti! You hit a milestone.",
];

const REKINDLED: [&str; 4] = [
    "You woke the button up. It's grumpy.",
    "Rise and shine, button!",
    "First press after the calm: the spark that starts it again.",
    "Rekindled! The fire lives.",
];

const COOLDOWN: [&str; 6] = [
    "Easy there, speedy. Your finger needs a breather.",
    "Patience, young presser.",
    "The button needs a moment. So do you.",
    "Cooling down. Have a sip of water.",
    "Too fast! Even buttons have boundaries.",
    "Hold that thought (and that finger).",
];

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use proptest::prelude::*;

    use super::*;

    fn all_lines() -> Vec<&'static str> {
        [
            &CALM[..],
            &WARM[..],
            &HOT[..],
            &CHAOS[..],
            &TIPPED[..],
            &MILESTONE[..],
            &REKINDLED[..],
            &COOLDOWN[..],
        ]
        .concat()
    }

    #[test]
    fn there_are_at_least_forty_lines_all_different_and_short() {
        let lines = all_lines();
        assert!(lines.len() >= 40, "{} lines", lines.len());
        assert_eq!(lines.iter().collect::<HashSet<_>>().len(), lines.len());
        for line in lines {
            assert!(!line.is_empty() && line.len() <= 80, "{line:?}");
        }
    }

    #[test]
    fn the_line_fits_what_happened() {
        let id = PressId(uuid::Uuid::from_u128(3));
        let flair = |kinds: &[Flair]| kinds.iter().copied().collect::<FlairSet>();
        assert!(MILESTONE.contains(&press_line(
            id,
            Phase::Calm,
            flair(&[Flair::Calm, Flair::Milestone, Flair::Tipper])
        )));
        assert!(TIPPED.contains(&press_line(
            id,
            Phase::Warm,
            flair(&[Flair::Warm, Flair::Tipper])
        )));
        assert!(REKINDLED.contains(&press_line(
            id,
            Phase::Calm,
            flair(&[Flair::Calm, Flair::Rekindler])
        )));
        for (phase, lines) in [
            (Phase::Calm, &CALM),
            (Phase::Warm, &WARM),
            (Phase::Hot, &HOT),
            (Phase::Chaos, &CHAOS),
        ] {
            assert!(lines.contains(&press_line(id, phase, flair(&[Flair::of_phase(phase)]))));
        }
        assert!(COOLDOWN.contains(&cooldown_line(12)));
    }

    #[test]
    fn presses_get_different_lines() {
        let seen: HashSet<_> = (0..64u128)
            .map(|n| {
                press_line(
                    PressId(uuid::Uuid::from_u128(n)),
                    Phase::Hot,
                    FlairSet::default(),
                )
            })
            .collect();
        assert_eq!(seen.len(), HOT.len());
    }

    proptest! {
        #[test]
        fn a_press_always_gets_the_same_line(id in any::<u128>(), phase in 0u8..4) {
            let phase = [Phase::Calm, Phase::Warm, Phase::Hot, Phase::Chaos][usize::from(phase)];
            let press = PressId(uuid::Uuid::from_u128(id));
            let flair = FlairSet::default();
            prop_assert_eq!(press_line(press, phase, flair), press_line(press, phase, flair));
            prop_assert!(!press_line(press, phase, flair).is_empty());
        }
    }
}
