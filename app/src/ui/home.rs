//! The home page: the one global button, rendered on the server with the latest state.

use leptos::prelude::*;

use super::the_button::TheButton;
use crate::state_source::load_page_start;

/// Loads the state on the server (sent along for hydration) and shows the game.
#[component]
pub fn HomePage() -> impl IntoView {
    let initial = OnceResource::new(load_page_start());
    view! {
        <Suspense fallback=|| view! { <main class="game phase-calm"><p>"Loading the button…"</p></main> }>
            {move || Suspend::new(async move {
                match initial.await {
                    Ok(start) => view! { <TheButton initial=start.current feed=start.feed moments=start.moments/> }.into_any(),
                    Err(_) => view! {
                        <main class="game phase-calm">
                            <p class="unavailable">"The button is unavailable right now. Please reload in a moment."</p>
                        </main>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
