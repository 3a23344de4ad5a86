//! The Leptos components players see.

mod game;
mod home;
mod http;
mod live;
mod meter;
mod press;
mod reveal;
mod server_clock;
mod solver;
pub mod words;

use leptos::prelude::*;
use leptos_meta::{Title, provide_meta_context};
use leptos_router::{
    SsrMode, StaticSegment,
    components::{Route, Router, Routes},
};

use home::HomePage;

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
            </Routes>
        </Router>
    }
}
