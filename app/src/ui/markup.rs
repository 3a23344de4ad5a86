//! The game's memory pages as HTML text: charts, tables and lists made by pure functions and set
//! as one element's `inner_html`, on the server and in the page alike.
//!
//! Why not `view!`: every distinct view type is compiled into the page's WASM twice over (to
//! build and to hydrate, synchronously and under `Suspense`), and three pages of SVG, tables and
//! lists as views cost the players 120 KB (gzipped) of download on every visit, the game page
//! included. As text they cost a few functions. Everything put in is escaped.

use std::fmt::Write;

use super::charts::{self, HEIGHT, WIDTH};
use super::words;
use crate::game::{Board, Period};
use crate::wire::{Countries, History, Leaderboard, MomentEntry, routes};

/// `text` with `&`, `<`, `>`, `"` and `'` escaped, for text and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The History page's charts (presses, peak entropy, phases, players), each an SVG with a label
/// for screen readers, then the numbers as a table.
pub fn history(history: &History, range_name: &str) -> String {
    let points = &history.points;
    let total = words::presses(points.iter().map(|p| p.presses).sum());
    let bucket = words::duration(history.bucket_ms);
    let presses: Vec<f64> = points.iter().map(|p| p.presses as f64).collect();
    let players: Vec<f64> = points.iter().map(|p| p.players as f64).collect();
    let entropy: Vec<f64> = points.iter().map(|p| p.peak_entropy).collect();

    let mut html = String::new();
    let mut figure = |class: &str, caption: &str, label: &str, shapes: String| {
        let _ = write!(
            html,
            "<figure class=\"chart {class}\"><figcaption>{}</figcaption>\
             <svg viewBox=\"0 0 {WIDTH} {HEIGHT}\" preserveAspectRatio=\"none\" role=\"img\" \
             aria-label=\"{}\">{shapes}</svg></figure>",
            escape(caption),
            escape(label)
        );
    };
    figure(
        "chart-presses",
        &format!("Presses per {bucket} · {total}"),
        &format!("Presses over {range_name}: {total}"),
        bars(&charts::bars(&presses)),
    );
    figure(
        "chart-entropy",
        "Peak entropy",
        "The highest entropy a press left, over time",
        format!(
            "<polyline points=\"{}\" fill=\"none\" vector-effect=\"non-scaling-stroke\"/>",
            charts::line(&entropy)
        ),
    );
    let bands: String = charts::bands(points)
        .iter()
        .map(|b| {
            format!(
                "<rect class=\"{}\" x=\"{:.2}\" y=\"0\" width=\"{:.2}\" height=\"{HEIGHT}\"/>",
                words::phase_class(b.phase),
                b.x,
                b.width
            )
        })
        .collect();
    figure(
        "chart-phases",
        "Phases",
        "The phase the button spent most time in, over time",
        bands,
    );
    figure(
        "chart-players",
        "Players (the most in one minute)",
        "How many players pressed, over time",
        bars(&charts::bars(&players)),
    );

    html.push_str(
        "<details class=\"chart-numbers\"><summary>The numbers</summary><table><thead><tr>\
         <th scope=\"col\">From (UTC)</th><th scope=\"col\">Presses</th>\
         <th scope=\"col\">Players</th><th scope=\"col\">Peak entropy</th>\
         <th scope=\"col\">Mostly</th></tr></thead><tbody>",
    );
    for p in points.iter().filter(|p| p.presses > 0) {
        let _ = write!(
            html,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{:.0} %</td><td>{}</td></tr>",
            words::utc_time(p.at_ms),
            words::count(p.presses),
            words::count(p.players),
            p.peak_entropy * 100.0,
            p.main_phase().name()
        );
    }
    html.push_str("</tbody></table></details>");
    html
}

fn bars(bars: &[charts::Bar]) -> String {
    bars.iter()
        .map(|b| {
            format!(
                "<rect x=\"{:.2}\" y=\"{:.2}\" width=\"{:.2}\" height=\"{:.2}\"/>",
                b.x, b.y, b.width, b.height
            )
        })
        .collect()
}

/// The moments, newest first: when, what, and a link to the press that made it.
pub fn moments(moments: &[MomentEntry]) -> String {
    if moments.is_empty() {
        return "<p class=\"feed-empty\">No moments yet. Press the button and make one!</p>"
            .to_owned();
    }
    let mut html = String::from("<ol class=\"moment-list\">");
    for moment in moments {
        let line = escape(&words::moment_line(moment));
        let what = match moment.press_id {
            Some(id) => format!(
                "<a class=\"moment-line\" href=\"{}\" rel=\"external\">{line}</a>",
                routes::press_page(id)
            ),
            None => format!("<span class=\"moment-line\">{line}</span>"),
        };
        let _ = write!(
            html,
            "<li class=\"moment moment-{}\"><time>{}</time> {what}</li>",
            moment.what.name(),
            words::utc_time(moment.at_ms)
        );
    }
    html.push_str("</ol>");
    html
}

/// One leaderboard as a table: rank, player (or moment), score.
pub fn leaderboard(leaderboard: &Leaderboard, board: Board, period: Period) -> String {
    if leaderboard.rows.is_empty() {
        return "<p class=\"feed-empty\">Nobody is on this board yet.</p>".to_owned();
    }
    let who = if board.moment_kind().is_some() {
        "Moment"
    } else {
        "Player"
    };
    let when = if period == Period::Today {
        "today"
    } else {
        "all time"
    };
    let mut html = format!(
        "<table class=\"board\"><caption>{} · {when}</caption><thead><tr>\
         <th scope=\"col\">#</th><th scope=\"col\">{who}</th><th scope=\"col\">Score</th>\
         </tr></thead><tbody>",
        escape(&words::board_name(board))
    );
    for row in &leaderboard.rows {
        let name = match (&row.handle, &row.moment) {
            (Some(handle), _) => handle.clone(),
            (None, Some(moment)) => words::moment_line(moment),
            (None, None) => String::new(),
        };
        let _ = write!(
            html,
            "<tr><td class=\"rank\">{}</td><td class=\"who\">{}</td><td class=\"score\">{}</td></tr>",
            row.rank,
            escape(&name),
            escape(&words::score(board, row.score))
        );
    }
    html.push_str("</tbody></table>");
    html
}

/// Presses by country: flags and bars (the longest is the country with the most presses), then
/// "other" and "unknown", and what "other" means.
pub fn countries(countries: &Countries) -> String {
    let mut html = String::new();
    if countries.total() == 0 {
        html.push_str("<p class=\"feed-empty\">No presses yet.</p>");
    } else {
        html.push_str("<ol class=\"country-list\">");
        let most = countries.countries.first().map_or(1, |c| c.presses.max(1));
        for count in &countries.countries {
            let _ = write!(
                html,
                "<li class=\"country\"><span class=\"country-flag\" aria-hidden=\"true\">{}</span>\
                 <span class=\"country-code\">{}</span><span class=\"country-bar\">\
                 <span style=\"width: {:.1}%\"></span></span>\
                 <span class=\"country-presses\">{}</span></li>",
                count.country.flag(),
                escape(count.country.code()),
                count.presses as f64 / most as f64 * 100.0,
                words::count(count.presses)
            );
        }
        for (name, presses) in [("Other", countries.other), ("Unknown", countries.unknown)] {
            if presses > 0 {
                let _ = write!(
                    html,
                    "<li class=\"country country-rest\"><span class=\"country-flag\"></span>\
                     <span class=\"country-code\">{name}</span><span class=\"country-bar\"></span>\
                     <span class=\"country-presses\">{}</span></li>",
                    words::count(presses)
                );
            }
        }
        html.push_str("</ol>");
    }
    let _ = write!(
        html,
        "<p class=\"countries-note\">A country is named from {} in a day; fewer count as other. \
         No address is kept, only its country.</p>",
        words::presses(countries.k)
    );
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::{MomentKind, Phase};
    use crate::wire::{CountryCount, HistoryPoint, HistoryRange, LeaderboardRow};

    #[test]
    fn text_and_attributes_are_escaped() {
        assert_eq!(
            escape(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn the_history_draws_a_bar_per_busy_bucket_and_a_row_per_busy_bucket() {
        let point = |presses, phase_ms| HistoryPoint {
            presses,
            phase_ms,
            ..HistoryPoint::default()
        };
        let chart = History {
            range: HistoryRange::Hour,
            bucket_ms: 60_000,
            points: vec![point(3, [60_000, 0, 0, 0]), point(0, [0, 0, 0, 60_000])],
            ..History::default()
        };
        let html = history(&chart, "Last hour");
        assert!(html.contains("Presses per 1 min · 3 presses"));
        assert_eq!(html.matches("<tr><td>").count(), 1, "one busy bucket");
        assert!(html.contains("class=\"phase-chaos\""));
        assert_eq!(html.matches("<figure").count(), 4);
    }

    #[test]
    fn a_moment_links_to_its_press_and_a_board_ranks_its_rows() {
        let tip = MomentEntry {
            seq: 4,
            at_ms: 0,
            what: MomentKind::Tip {
                phase: Phase::Hot,
                counter: 4,
            },
            press_id: Some(crate::game::PressId(uuid::Uuid::nil())),
            handle: Some("brisk-yak-89".into()),
        };
        let html = moments(std::slice::from_ref(&tip));
        assert!(html.contains("moment-tip"));
        assert!(html.contains("href=\"/p/00000000-0000-0000-0000-000000000000\""));
        assert!(html.contains("brisk-yak-89 tipped the button into HOT with press #4"));

        let board = Leaderboard {
            board: "presses".into(),
            period: "today".into(),
            rows: vec![LeaderboardRow {
                rank: 1,
                score: 1_200,
                handle: Some("brisk-yak-89".into()),
                moment: None,
            }],
        };
        let html = leaderboard(&board, Board::Presses, Period::Today);
        assert!(html.contains("<td class=\"rank\">1</td><td class=\"who\">brisk-yak-89</td>"));
        assert!(html.contains("1,200"));
    }

    #[test]
    fn countries_show_flags_bars_and_the_rest() {
        let html = countries(&Countries {
            period: "today".into(),
            k: 5,
            countries: vec![CountryCount {
                country: "jp".parse().expect("a country"),
                presses: 10,
            }],
            other: 3,
            unknown: 0,
        });
        assert!(html.contains("🇯🇵") && html.contains("JP") && html.contains("width: 100.0%"));
        assert!(html.contains("Other") && !html.contains("Unknown"));
        assert!(html.contains("from 5 presses in a day"));
    }
}
