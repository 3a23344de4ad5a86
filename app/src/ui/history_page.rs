//! `/history`: the game's history as charts — presses, entropy, phases and players over the last
//! hour, day, week or all of it — drawn as SVG (`markup::history`) by the server (they show
//! without JavaScript), with a table of their numbers for screen readers, and refreshed while the
//! page is open.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::markup;
use super::nav::SiteNav;
use crate::state_source::load_history;
use crate::wire::{History, HistoryRange, routes};

/// How often an open History page reads the history again.
#[cfg(feature = "hydrate")]
const REFRESH: std::time::Duration = std::time::Duration::from_secs(15);

/// Loads the history of the range asked for (`?range=`) on the server and shows it.
#[component]
pub fn HistoryPage() -> impl IntoView {
    let range = use_query_map().with_untracked(|q| q.get("range").unwrap_or_default());
    let history = OnceResource::new(load_history(range));
    view! {
        <Title text="History · The Button"/>
        <Suspense fallback=|| view! { <main class="memory-page"><p>"Loading the history…"</p></main> }>
            {move || Suspend::new(async move {
                match history.await {
                    Ok(history) => view! { <HistoryView initial=history/> }.into_any(),
                    Err(_) => view! {
                        <main class="memory-page">
                            <p class="unavailable">"The history is unavailable right now. Please reload in a moment."</p>
                        </main>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn HistoryView(initial: History) -> impl IntoView {
    let range = initial.range;
    let history = RwSignal::new(initial);
    Effect::new(move || {
        #[cfg(feature = "hydrate")]
        set_interval(
            move || {
                leptos::task::spawn_local(async move {
                    let url = format!("{}?range={}", routes::HISTORY, range.as_str());
                    if let Ok(fresh) = super::http::call::<History>("GET", &url, None).await {
                        history.set(fresh);
                    }
                });
            },
            REFRESH,
        );
    });

    let ranges = view! {
        <nav class="ranges" aria-label="How far back">
            {HistoryRange::ALL.into_iter().map(|r| view! {
                <a href=format!("{}?range={}", routes::HISTORY_PAGE, r.as_str()) rel="external"
                   aria-current=(r == range).then_some("page")>{range_name(r)}</a>
            }).collect_view()}
        </nav>
    }
    .into_any();

    view! {
        <main class="memory-page history-page" data-range=range.as_str()>
            <SiteNav current=routes::HISTORY_PAGE/>
            <h1>"History"</h1>
            {ranges}
            <div class="charts" inner_html=move || history.with(|h| markup::history(h, range_name(range)))></div>
        </main>
    }
}

fn range_name(range: HistoryRange) -> &'static str {
    match range {
        HistoryRange::Hour => "Last hour",
        HistoryRange::Day => "24 hours",
        HistoryRange::Week => "7 days",
        HistoryRange::All => "All time",
    }
}
