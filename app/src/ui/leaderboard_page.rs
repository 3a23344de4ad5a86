//! `/leaderboard`: the top players by presses, tips and flair, today and all time, the record
//! moments, and the countries panel; rendered by the server, refreshed while the page is open.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::markup;
use super::nav::SiteNav;
use super::words;
use crate::game::{Board, Period};
use crate::state_source::load_leaderboard;
use crate::wire::{Countries, Leaderboard, routes};

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
                    Ok((board, countries)) => view! { <BoardView initial=board countries=countries/> }.into_any(),
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
fn BoardView(initial: Leaderboard, countries: Countries) -> impl IntoView {
    let board: Board = initial.board.parse().unwrap_or(Board::Presses);
    let period: Period = initial.period.parse().unwrap_or(Period::Today);
    let leaderboard = RwSignal::new(initial);
    let countries = RwSignal::new(countries);
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
                    let url = format!("{}?period={}", routes::COUNTRIES, period.as_str());
                    if let Ok(fresh) = super::http::call::<Countries>("GET", &url, None).await {
                        countries.set(fresh);
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
    view! {
        <main class="memory-page leaderboard-page" data-board=board.to_string()>
            <SiteNav current=routes::LEADERBOARD_PAGE/>
            <h1>"Leaderboard"</h1>
            {boards}
            <div class="board-table" inner_html=move || leaderboard.with(|l| markup::leaderboard(l, board, period))></div>
            <section class="countries" aria-label="Presses by country">
                <h2>"Countries"</h2>
                <div inner_html=move || countries.with(markup::countries)></div>
            </section>
        </main>
    }
}
