//! The Leptos components players see.

mod home;

use leptos::prelude::*;
use leptos_meta::{Title, provide_meta_context};
use leptos_router::{
    StaticSegment,
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
            <main>
                <Routes fallback=|| view! { <p class="not-found">"Page not found."</p> }>
                    <Route path=StaticSegment("") view=HomePage/>
                </Routes>
            </main>
        </Router>
    }
}
