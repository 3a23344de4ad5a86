//! The home page: the one global button, rendered on the server with the latest state.

use leptos::prelude::*;

use super::the_button::TheButton;
use crate::state_source::load_current_state;

/// Loads the state on the server (sent along for hydration) and shows the game.
#[component]
pub fn HomePage() -> impl IntoView {
    let initial = OnceResource::new(load_current_state());
    view! {
        <Suspense fallback=|| view! { <main class="game phase-calm"><p>"Loading the button…"</p></main> }>
            {move || Suspend::new(async move {
                match initial.await {
                    Ok(current) => view! { <TheButton initial=current/> }.into_any(),
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
