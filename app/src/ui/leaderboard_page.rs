//! `/leaderboard`: the top players by presses, tips and flair, today and all time, and the
//! record moments; rendered by the server, refreshed while the page is open.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::nav::SiteNav;
use super::words;
use crate::game::{Board, Period};
use crate::state_source::load_leaderboard;
use crate::wire::{Leaderboard, routes};

/// How often an open Leaderboard page reads its board again.
#[cfg(feature = "hydrate")]
const REFRESH: std::time::Duration = std::time::Duration::from_secs(10);

/// Loads the board asked for (`?board=…&period=…`) on the server and shows it.
#[component]
pub fn LeaderboardPage() -> impl IntoView {
    let (board, period) = use_query_map().with_untracked(|q| {
        (
            q.get("board").unwrap_or_default(),
            q.get("period").unwrap_or_default(),
        )
    });
    let board = OnceResource::new(load_leaderboard(board, period));
    view! {
        <Title text="Leaderboard · The Button"/>
        <Suspense fallback=|| view! { <main class="memory-page"><p>"Loading the leaderboard…"</p></main> }>
            {move || Suspend::new(async move {
                match board.await {
                    Ok(board) => view! { <BoardView initial=board/> }.into_any(),
                    Err(_) => view! {
                        <main class="memory-page">
                            <p class="unavailable">"The leaderboard is unavailable right now. Please reload in a moment."</p>
                        </main>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn board_url(board: Board, period: Period) -> String {
    format!(
        "{}?board={board}&period={}",
        routes::LEADERBOARD_PAGE,
        period.as_str()
    )
}

#[component]
fn BoardView(initial: Leaderboard) -> impl IntoView {
    let board: Board = initial.board.parse().unwrap_or(Board::Presses);
    let period: Period = initial.period.parse().unwrap_or(Period::Today);
    let leaderboard = RwSignal::new(initial);
    Effect::new(move || {
        #[cfg(feature = "hydrate")]
        set_interval(
            move || {
                leptos::task::spawn_local(async move {
                    let url = format!(
                        "{}?board={board}&period={}",
                        routes::LEADERBOARD,
                        period.as_str()
                    );
                    if let Ok(fresh) = super::http::call::<Leaderboard>("GET", &url, None).await {
                        leaderboard.set(fresh);
                    }
                });
            },
            REFRESH,
        );
    });

    let boards = view! {
        <nav class="boards" aria-label="Boards">
            {Board::all().map(|b| view! {
                <a href=board_url(b, period) rel="external" aria-current=(b == board).then_some("page")>
                    {words::board_name(b)}
                </a>
            }).collect_view()}
        </nav>
        <nav class="periods" aria-label="Period">
            {[Period::Today, Period::All].into_iter().map(|p| view! {
                <a href=board_url(board, p) rel="external" aria-current=(p == period).then_some("page")>
                    {if p == Period::Today { "Today (UTC)" } else { "All time" }}
                </a>
            }).collect_view()}
        </nav>
    }
    .into_any();
    let rows = move || {
        leaderboard.with(|l| {
            l.rows
                .iter()
                .map(|row| {
                    let who = match (&row.handle, &row.moment) {
                        (Some(handle), _) => handle.clone(),
                        (None, Some(moment)) => words::moment_line(moment),
                        (None, None) => String::new(),
                    };
                    view! {
                        <tr>
                            <td class="rank">{row.rank}</td>
                            <td class="who">{who}</td>
                            <td class="score">{words::score(board, row.score)}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <main class="memory-page leaderboard-page" data-board=board.to_string()>
            <SiteNav current=routes::LEADERBOARD_PAGE/>
            <h1>"Leaderboard"</h1>
            {boards}
            <Show
                when=move || !leaderboard.with(|l| l.rows.is_empty())
                fallback=|| view! { <p class="feed-empty">"Nobody is on this board yet."</p> }
            >
                <table class="board">
                    <caption>{words::board_name(board)} " · " {if period == Period::Today { "today" } else { "all time" }}</caption>
                    <thead><tr>
                        <th scope="col">"#"</th>
                        <th scope="col">{if board.moment_kind().is_some() { "Moment" } else { "Player" }}</th>
                        <th scope="col">"Score"</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </Show>
        </main>
    }
}
