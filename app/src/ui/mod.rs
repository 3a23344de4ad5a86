//! The Leptos components players see, in the order a press travels:
//!
//! - `home`: the route, rendering [`the_button::TheButton`] with the state the server read;
//!   `press_page`: the page of one press, to share; `nav`: the links between the pages.
//! - the game's memory: `history_page` (its charts drawn from `charts`), `moments_page`,
//!   `leaderboard_page`, their content made as HTML text by `markup`; `moment_banner`: the
//!   newest moment on the game page; `notice_banner`: the operators' pause, season, rules.
//! - `the_button`: the page: the button, the counter, the phase, the meter; `me`: the player's
//!   token, handle and shelf; `feed`: the crowd and the newest presses.
//! - `presser`: a press from challenge to receipt; `solver`: the proof of work in Web
//!   Workers; `http`: the API calls.
//! - `live`: the live stream of states; `server_clock`: the server's time, estimated;
//!   `meter` and `reveal`: the entropy meter and the banner of the press that tipped a phase.
//! - `words`: every text a player reads.

mod charts;
mod feed;
mod history_page;
mod home;
mod http;
mod leaderboard_page;
mod live;
mod markup;
mod me;
mod meter;
mod moment_banner;
mod moments_page;
mod nav;
mod notice_banner;
mod press_page;
mod presser;
mod reveal;
mod server_clock;
mod solver;
mod the_button;
pub mod words;

use leptos::prelude::*;
use leptos_meta::{Title, provide_meta_context};
use leptos_router::{
    ParamSegment, SsrMode, StaticSegment,
    components::{Route, Router, Routes},
};

use history_page::HistoryPage;
use home::HomePage;
use leaderboard_page::LeaderboardPage;
use moments_page::MomentsPage;
use press_page::PressPage;

/// The application: routes and page metadata.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title text="The Button"/>
        <Router>
            <Routes fallback=|| view! { <main class="not-found"><p>"Page not found."</p></main> }>
                // Async: the HTML is sent whole, with the state in it, so the page is complete
                // before (and without) any script.
                <Route path=StaticSegment("") view=HomePage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("p"), ParamSegment("press_id")) view=PressPage ssr=SsrMode::Async/>
                <Route path=StaticSegment("history") view=HistoryPage ssr=SsrMode::Async/>
                <Route path=StaticSegment("moments") view=MomentsPage ssr=SsrMode::Async/>
                <Route path=StaticSegment("leaderboard") view=LeaderboardPage ssr=SsrMode::Async/>
            </Routes>
        </Router>
    }
}
