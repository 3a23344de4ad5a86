//! What the operators did, as players see it: the pause (the button waits), a new season, new
//! rules; with the operator's message. The season is always named once it is past the first.

use leptos::prelude::*;

use crate::game::{Command, State};
use crate::wire::Notice;

/// How long a new season or new rules stay announced (by the game's clock).
const FRESH_MS: i64 = 10 * 60 * 1_000;

/// The line the banner says: the pause while paused, else a recent season or rules change.
pub fn notice_line(state: &State, notice: Option<&Notice>, now_ms: i64) -> Option<String> {
    let said = |notice: &Notice| {
        notice
            .message
            .as_deref()
            .map(|m| format!(" {m}"))
            .unwrap_or_default()
    };
    if state.paused {
        let reason = notice
            .filter(|n| n.command == Command::Pause)
            .map(said)
            .unwrap_or_default();
        return Some(format!("The button is paused.{reason}"));
    }
    let notice = notice.filter(|n| now_ms.saturating_sub(n.at_ms) < FRESH_MS)?;
    match notice.command {
        Command::NewSeason => Some(format!(
            "Season {} has begun.{}",
            notice.season,
            said(notice)
        )),
        Command::Rules { .. } => Some(format!("The rules have changed.{}", said(notice))),
        Command::Resume => Some(format!("The button is back.{}", said(notice))),
        Command::Pause => None,
    }
}

/// The banner, under the page's header.
#[component]
pub fn NoticeBanner(
    state: RwSignal<State>,
    notice: RwSignal<Option<Notice>>,
    now: RwSignal<i64>,
) -> impl IntoView {
    let line = move || notice.with(|n| state.with(|s| notice_line(s, n.as_ref(), now.get())));
    let season = move || {
        let season = state.with(|s| s.season);
        (season > 1).then(|| format!("Season {season}"))
    };
    view! {
        <Show when=move || line().is_some() || season().is_some()>
            <p class="notice-banner" class:paused=move || state.with(|s| s.paused) role="status">
                <span class="notice-season">{season}</span>
                " "
                <span class="notice-line">{line}</span>
            </p>
        </Show>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::Rules;

    fn notice(command: Command, message: Option<&str>, at_ms: i64) -> Notice {
        Notice {
            seq: 1,
            at_ms,
            season: 2,
            command,
            message: message.map(str::to_owned),
        }
    }

    #[test]
    fn a_paused_game_says_so_with_the_operators_reason() {
        let state = State {
            paused: true,
            ..State::initial(&Rules::default())
        };
        let pause = notice(Command::Pause, Some("Back at noon."), 0);
        assert_eq!(
            notice_line(&state, Some(&pause), 99_999_999).as_deref(),
            Some("The button is paused. Back at noon.")
        );
        assert_eq!(
            notice_line(&state, None, 0).as_deref(),
            Some("The button is paused.")
        );
    }

    #[test]
    fn a_new_season_is_announced_for_a_while() {
        let state = State::initial(&Rules::default());
        let season = notice(Command::NewSeason, Some("Go!"), 1_000);
        assert_eq!(
            notice_line(&state, Some(&season), 2_000).as_deref(),
            Some("Season 2 has begun. Go!")
        );
        assert_eq!(notice_line(&state, Some(&season), 1_000 + FRESH_MS), None);
    }
}
