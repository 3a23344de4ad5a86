//! The links between the game's pages, on every page. Plain links that load the page whole
//! (`rel="external"`): each page is rendered by the server with its data in it.

use leptos::prelude::*;

use crate::wire::routes;

/// The game's pages, the current one marked.
#[component]
pub fn SiteNav(current: &'static str) -> impl IntoView {
    let pages = [
        ("/", "The Button"),
        (routes::HISTORY_PAGE, "History"),
        (routes::MOMENTS_PAGE, "Moments"),
        (routes::LEADERBOARD_PAGE, "Leaderboard"),
    ];
    view! {
        <nav class="site-nav" aria-label="The game's pages">
            {pages.into_iter().map(|(href, name)| {
                let here = href == current;
                view! {
                    <a href=href rel="external" aria-current=here.then_some("page")>{name}</a>
                }
            }).collect_view()}
        </nav>
    }
    .into_any()
}
