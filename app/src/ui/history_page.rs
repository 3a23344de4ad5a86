//! `/history`: the game's history as charts — presses, entropy and phases over the last hour,
//! day, week or all of it — drawn as SVG by the server (they show without JavaScript), each with
//! a table of its numbers for screen readers, and refreshed while the page is open.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::charts::{self, HEIGHT, WIDTH};
use super::nav::SiteNav;
use super::words;
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

    let bucket = move || words::duration(history.with(|h| h.bucket_ms));
    let presses = move || {
        history.with(|h| {
            charts::bars(
                &h.points
                    .iter()
                    .map(|p| p.presses as f64)
                    .collect::<Vec<_>>(),
            )
        })
    };
    let players = move || {
        history.with(|h| {
            charts::bars(
                &h.points
                    .iter()
                    .map(|p| p.players as f64)
                    .collect::<Vec<_>>(),
            )
        })
    };
    let entropy = move || {
        history.with(|h| charts::line(&h.points.iter().map(|p| p.peak_entropy).collect::<Vec<_>>()))
    };
    let bands = move || history.with(|h| charts::bands(&h.points));
    let total = move || words::presses(history.with(|h| h.points.iter().map(|p| p.presses).sum()));
    let view_box = format!("0 0 {WIDTH} {HEIGHT}");

    let ranges = view! {
        <nav class="ranges" aria-label="How far back">
            {HistoryRange::ALL.into_iter().map(|r| view! {
                <a href=format!("{}?range={}", routes::HISTORY_PAGE, r.as_str()) rel="external"
                   aria-current=(r == range).then_some("page")>{range_name(r)}</a>
            }).collect_view()}
        </nav>
    }
    .into_any();
    let charts = view! {
        <figure class="chart chart-presses">
            <figcaption>"Presses per " {bucket} " · " {total}</figcaption>
            <svg viewBox=view_box.clone() preserveAspectRatio="none" role="img"
                 aria-label=move || format!("Presses over {}: {}", range_name(range), total())>
                {move || presses().into_iter().map(|b| view! {
                    <rect x=b.x y=b.y width=b.width height=b.height/>
                }).collect_view()}
            </svg>
        </figure>
        <figure class="chart chart-entropy">
            <figcaption>"Peak entropy"</figcaption>
            <svg viewBox=view_box.clone() preserveAspectRatio="none" role="img"
                 aria-label="The highest entropy a press left, over time">
                <polyline points=entropy fill="none" vector-effect="non-scaling-stroke"/>
            </svg>
        </figure>
        <figure class="chart chart-phases">
            <figcaption>"Phases"</figcaption>
            <svg viewBox=view_box.clone() preserveAspectRatio="none" role="img"
                 aria-label="The phase the button spent most time in, over time">
                {move || bands().into_iter().map(|b| view! {
                    <rect class=words::phase_class(b.phase) x=b.x y="0" width=b.width height=HEIGHT/>
                }).collect_view()}
            </svg>
        </figure>
        <figure class="chart chart-players">
            <figcaption>"Players (the most in one minute)"</figcaption>
            <svg viewBox=view_box preserveAspectRatio="none" role="img"
                 aria-label="How many players pressed, over time">
                {move || players().into_iter().map(|b| view! {
                    <rect x=b.x y=b.y width=b.width height=b.height/>
                }).collect_view()}
            </svg>
        </figure>
    }
    .into_any();
    let table = view! {
        <details class="chart-numbers">
            <summary>"The numbers"</summary>
            <table>
                <thead><tr>
                    <th scope="col">"From (UTC)"</th><th scope="col">"Presses"</th>
                    <th scope="col">"Players"</th><th scope="col">"Peak entropy"</th>
                    <th scope="col">"Mostly"</th>
                </tr></thead>
                <tbody>
                    {move || history.with(|h| h.points.iter().filter(|p| p.presses > 0).map(|p| view! {
                        <tr>
                            <td>{words::utc_time(p.at_ms)}</td>
                            <td>{words::count(p.presses)}</td>
                            <td>{words::count(p.players)}</td>
                            <td>{format!("{:.0} %", p.peak_entropy * 100.0)}</td>
                            <td>{p.main_phase().name()}</td>
                        </tr>
                    }).collect_view())}
                </tbody>
            </table>
        </details>
    }
    .into_any();

    view! {
        <main class="memory-page history-page" data-range=range.as_str()>
            <SiteNav current=routes::HISTORY_PAGE/>
            <h1>"History"</h1>
            {ranges}
            {charts}
            {table}
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
