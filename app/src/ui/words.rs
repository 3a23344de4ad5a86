//! What the page says: numbers, phases and errors in players' words. Pure, so it is tested here.

use crate::game::{Board, Flair, MomentKind, Phase};
use crate::wire::{ErrorCode, MomentEntry};

/// `12345` → `"12,345"`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Milliseconds left as a countdown: `"2.4 s"`, or `"12 s"` from ten seconds up.
pub fn countdown(ms: i64) -> String {
    let ms = ms.max(0);
    if ms < 10_000 {
        format!("{}.{} s", ms / 1_000, (ms % 1_000) / 100)
    } else {
        format!("{} s", (ms + 999) / 1_000)
    }
}

/// `1234567.0` hashes per second → `"1.2 MH/s"`.
pub fn hash_rate(per_second: f64) -> String {
    if per_second >= 1e6 {
        format!("{:.1} MH/s", per_second / 1e6)
    } else if per_second >= 1e3 {
        format!("{:.0} kH/s", per_second / 1e3)
    } else {
        format!("{per_second:.0} H/s")
    }
}

/// A kind of flair as a player reads it.
pub fn flair_name(flair: Flair) -> &'static str {
    match flair {
        Flair::Calm => "Calm",
        Flair::Warm => "Warm",
        Flair::Hot => "Hot",
        Flair::Chaos => "Chaos",
        Flair::Tipper => "Tipper",
        Flair::Milestone => "Milestone",
        Flair::Rekindler => "Rekindler",
    }
}

/// `" · earned Hot, Tipper"` after a counted press (nothing for a press without flair).
pub fn earned(flair: &[Flair]) -> String {
    if flair.is_empty() {
        return String::new();
    }
    let names: Vec<&str> = flair.iter().map(|f| flair_name(*f)).collect();
    format!(" · earned {}", names.join(", "))
}

/// The CSS class of a phase's look.
pub fn phase_class(phase: Phase) -> &'static str {
    match phase {
        Phase::Calm => "phase-calm",
        Phase::Warm => "phase-warm",
        Phase::Hot => "phase-hot",
        Phase::Chaos => "phase-chaos",
    }
}

/// The tab's title, which follows the phase (players keep the tab in the background).
pub fn title(phase: Phase) -> String {
    match phase {
        Phase::Calm => "The Button".to_owned(),
        Phase::Warm => "WARM · The Button".to_owned(),
        Phase::Hot => "HOT! · The Button".to_owned(),
        Phase::Chaos => "CHAOS!! · The Button".to_owned(),
    }
}

/// The tab's icon in `phase`: the button in the phase's colour, as a `data:` URL (allowed by
/// the page's Content-Security-Policy).
pub fn favicon(phase: Phase) -> String {
    let (rim, face) = match phase {
        Phase::Calm => ("1d4a6c", "5fa8d3"),
        Phase::Warm => ("7c3906", "f59e0b"),
        Phase::Hot => ("7f1111", "f87171"),
        Phase::Chaos => ("5b0f6e", "e879f9"),
    };
    format!(
        "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 64 64'%3E\
         %3Ccircle cx='32' cy='32' r='30' fill='%23{rim}'/%3E\
         %3Ccircle cx='32' cy='29' r='21' fill='%23{face}'/%3E%3C/svg%3E"
    )
}

/// A handle, or "anonymous" for a press without one.
pub fn who(handle: Option<&str>) -> &str {
    handle.unwrap_or("anonymous")
}

/// `"1 press"`, `"1,200 presses"`.
pub fn presses(n: u64) -> String {
    let noun = if n == 1 { "press" } else { "presses" };
    format!("{} {noun}", count(n))
}

/// `"1 tip"`, `"0 tips"`.
pub fn tips(n: u64) -> String {
    let noun = if n == 1 { "tip" } else { "tips" };
    format!("{} {noun}", count(n))
}

/// `"2 watching"`.
pub fn watching(n: u64) -> String {
    format!("{} watching", count(n))
}

/// `"14 presses in the last minute"`, `"1 press in the last minute"`.
pub fn presses_last_minute(n: u64) -> String {
    format!("{} in the last minute", presses(n))
}

/// A length of time: `"850 ms"`, `"4.2 s"`, `"3 min 20 s"`, `"2 h 5 min"`.
pub fn duration(ms: i64) -> String {
    let ms = ms.max(0);
    match ms {
        0..1_000 => format!("{ms} ms"),
        1_000..60_000 => format!("{}.{} s", ms / 1_000, (ms % 1_000) / 100),
        60_000..3_600_000 => match (ms / 60_000, (ms % 60_000) / 1_000) {
            (minutes, 0) => format!("{minutes} min"),
            (minutes, seconds) => format!("{minutes} min {seconds} s"),
        },
        _ => match (ms / 3_600_000, (ms % 3_600_000) / 60_000) {
            (hours, 0) => format!("{hours} h"),
            (hours, minutes) => format!("{hours} h {minutes} min"),
        },
    }
}

/// What a moment was, in one sentence.
pub fn moment_line(moment: &MomentEntry) -> String {
    let who = who(moment.handle.as_deref());
    match moment.what {
        MomentKind::Tip { phase, counter } => {
            format!(
                "{who} tipped the button into {phase} with press #{}",
                count(counter)
            )
        }
        MomentKind::Milestone { counter } => {
            format!("Press #{}! Pressed by {who}", count(counter))
        }
        MomentKind::FirstPressOfDay { counter } => format!(
            "{who} pressed first on {} (press #{})",
            crate::game::utc_date(moment.at_ms),
            count(counter)
        ),
        MomentKind::LongestChaos { ms } => {
            format!("The longest CHAOS yet: {} of it", duration(ms))
        }
        MomentKind::FastestClimb { ms } => format!(
            "From CALM to CHAOS in {}, the fastest yet; {who} tipped it",
            duration(ms)
        ),
        MomentKind::BusiestMinute {
            minute_ms,
            presses: n,
        } => format!(
            "The busiest minute yet: {} at {}",
            presses(n),
            utc_hour_minute(minute_ms)
        ),
    }
}

/// The UTC time of day of `ms` as `"10:04"`.
fn utc_hour_minute(ms: i64) -> String {
    let minutes = ms.rem_euclid(crate::game::DAY_MS) / crate::game::MINUTE_MS;
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// A board's name, as the Leaderboard page's tabs say it.
pub fn board_name(board: Board) -> String {
    match board {
        Board::Presses => "Presses".to_owned(),
        Board::Tips => "Tips".to_owned(),
        Board::TipsInto(phase) => format!("Tips into {phase}"),
        Board::Flair(flair) => format!("{} flair", flair_name(flair)),
        Board::LongestChaos => "Longest CHAOS".to_owned(),
        Board::FastestClimb => "Fastest climb".to_owned(),
        Board::BusiestMinute => "Busiest minute".to_owned(),
    }
}

/// A board's score as a player reads it: a count, or a moment's measure.
pub fn score(board: Board, score: i64) -> String {
    match board {
        Board::LongestChaos | Board::FastestClimb => duration(score),
        Board::BusiestMinute => presses(u64::try_from(score).unwrap_or(0)),
        _ => count(u64::try_from(score).unwrap_or(0)),
    }
}

/// Milliseconds since the Unix epoch as `"2026-12-02 10:04:05 UTC"` (no clock library in the
/// page for one format).
pub fn utc_time(ms: i64) -> String {
    let seconds = ms.div_euclid(1_000);
    let (days, of_day) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let (year, month, day) = crate::game::civil_date(days);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        of_day / 3_600,
        (of_day % 3_600) / 60,
        of_day % 60
    )
}

/// A short human message for every error the API can answer with.
pub fn error_message(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::InvalidBody => "Your press was garbled on the way. Please try again.",
        ErrorCode::InvalidQuery => "The page asked for something the game does not know.",
        ErrorCode::BadSignature => "That challenge was not ours. Please try again.",
        ErrorCode::Expired => "Your challenge expired before it was sent. Please press again.",
        ErrorCode::InsufficientWork => "The proof of work came up short. Please press again.",
        ErrorCode::Cooldown => "Easy! You must wait before pressing again.",
        ErrorCode::RateLimited => "Too many requests from your network. Wait a moment.",
        ErrorCode::ChallengeUsed => "That challenge was already used. Press again for a new one.",
        ErrorCode::NotFound => "That press was not found.",
        ErrorCode::Timeout => "Your press took too long to arrive. Please try again.",
        ErrorCode::TooLarge => {
            "Your press was too large to be one of ours. Please reload the page."
        }
        ErrorCode::Unconfirmed => UNCONFIRMED,
        ErrorCode::Unavailable => {
            "The button is catching its breath: your press was not taken. Try again shortly."
        }
        ErrorCode::Paused => "The button is paused for now: your press was not taken.",
        ErrorCode::Unauthorized => "That needs an operator's token.",
        ErrorCode::Internal => "Something broke on our side. Your press may not have counted.",
    }
}

/// When the network itself failed (before or after the press left: the page cannot tell).
pub const NETWORK_DOWN: &str =
    "You seem to be offline: we could not tell whether your press arrived.";

/// While a press the server could not confirm is being looked for.
pub const UNCONFIRMED: &str =
    "The button could not confirm your press yet. Checking if it counted…";

/// When its receipt never showed it applied.
pub const UNCONFIRMED_GAVE_UP: &str =
    "The button could not confirm your press. It may still count: the counter will tell.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_have_thousands_separators() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1_000), "1,000");
        assert_eq!(count(12_345), "12,345");
        assert_eq!(count(1_234_567), "1,234,567");
    }

    #[test]
    fn countdowns_show_tenths_below_ten_seconds() {
        assert_eq!(countdown(2_450), "2.4 s");
        assert_eq!(countdown(0), "0.0 s");
        assert_eq!(countdown(-5), "0.0 s");
        assert_eq!(countdown(12_001), "13 s");
    }

    #[test]
    fn a_counted_press_says_what_it_earned() {
        assert_eq!(earned(&[]), "");
        assert_eq!(
            earned(&[Flair::Hot, Flair::Tipper, Flair::Milestone]),
            " · earned Hot, Tipper, Milestone"
        );
        for flair in Flair::ALL {
            assert!(!flair_name(flair).is_empty());
        }
    }

    #[test]
    fn times_read_in_utc() {
        assert_eq!(utc_time(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc_time(1_764_669_845_123), "2025-12-02 10:04:05 UTC");
        assert_eq!(utc_time(951_782_400_000), "2000-02-29 00:00:00 UTC");
        assert_eq!(utc_time(-1_000), "1969-12-31 23:59:59 UTC");
    }

    #[test]
    fn durations_read_at_the_right_scale() {
        assert_eq!(duration(850), "850 ms");
        assert_eq!(duration(4_250), "4.2 s");
        assert_eq!(duration(200_000), "3 min 20 s");
        assert_eq!(duration(7_500_000), "2 h 5 min");
        assert_eq!(duration(60_000), "1 min");
        assert_eq!(duration(86_400_000), "24 h");
    }

    #[test]
    fn every_moment_reads_as_a_sentence_naming_who_did_it() {
        let moment = |what| MomentEntry {
            seq: 1,
            at_ms: 1_764_669_845_123,
            what,
            press_id: None,
            handle: Some("daring-goose-479".into()),
        };
        assert_eq!(
            moment_line(&moment(MomentKind::Tip {
                phase: Phase::Chaos,
                counter: 1_234
            })),
            "daring-goose-479 tipped the button into CHAOS with press #1,234"
        );
        assert_eq!(
            moment_line(&moment(MomentKind::FirstPressOfDay { counter: 7 })),
            "daring-goose-479 pressed first on 2025-12-02 (press #7)"
        );
        assert_eq!(
            moment_line(&moment(MomentKind::BusiestMinute {
                minute_ms: 1_764_669_840_000,
                presses: 312
            })),
            "The busiest minute yet: 312 presses at 10:04"
        );
        assert!(moment_line(&moment(MomentKind::LongestChaos { ms: 42_000 })).contains("42.0 s"));
    }

    #[test]
    fn the_tab_follows_the_phase() {
        let titles: std::collections::HashSet<_> = Phase::ALL.iter().map(|p| title(*p)).collect();
        let icons: std::collections::HashSet<_> = Phase::ALL.iter().map(|p| favicon(*p)).collect();
        assert_eq!((titles.len(), icons.len()), (4, 4));
        assert!(title(Phase::Chaos).contains("CHAOS"));
        assert!(favicon(Phase::Hot).starts_with("data:image/svg+xml,"));
        assert!(
            !favicon(Phase::Hot).contains(['<', '#']),
            "escaped for a URL"
        );
    }

    #[test]
    fn the_crowd_in_words() {
        assert_eq!(watching(2), "2 watching");
        assert_eq!(presses_last_minute(1), "1 press in the last minute");
        assert_eq!(
            presses_last_minute(1_200),
            "1,200 presses in the last minute"
        );
        assert_eq!(
            (presses(1), presses(0)),
            ("1 press".into(), "0 presses".into())
        );
        assert_eq!((tips(1), tips(2)), ("1 tip".into(), "2 tips".into()));
        assert_eq!(who(None), "anonymous");
        assert_eq!(who(Some("amber-otter-42")), "amber-otter-42");
    }

    #[test]
    fn hash_rates_are_readable() {
        assert_eq!(hash_rate(1_234_567.0), "1.2 MH/s");
        assert_eq!(hash_rate(45_600.0), "46 kH/s");
        assert_eq!(hash_rate(12.0), "12 H/s");
    }

    #[test]
    fn every_error_code_has_a_message() {
        for code in [
            ErrorCode::InvalidBody,
            ErrorCode::InvalidQuery,
            ErrorCode::BadSignature,
            ErrorCode::Expired,
            ErrorCode::InsufficientWork,
            ErrorCode::Cooldown,
            ErrorCode::RateLimited,
            ErrorCode::ChallengeUsed,
            ErrorCode::NotFound,
            ErrorCode::Timeout,
            ErrorCode::TooLarge,
            ErrorCode::Unconfirmed,
            ErrorCode::Unavailable,
            ErrorCode::Internal,
        ] {
            assert!(!error_message(code).is_empty());
        }
    }
}
