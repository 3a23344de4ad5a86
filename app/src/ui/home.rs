//! The home page: the one global button.

use leptos::prelude::*;

/// The page of the button. For now it only introduces the game; the live counter and the
/// button itself arrive with the press pipeline.
#[component]
pub fn HomePage() -> impl IntoView {
    // Effects run only in the browser: this flips once the page is hydrated and interactive.
    let hydrated = RwSignal::new(false);
    Effect::new(move || hydrated.set(true));
    view! {
        <section class="home phase-calm" data-hydrated=move || hydrated.get().to_string()>
            <h1>"The Button"</h1>
            <p class="tagline">
                "One button, pressed by everyone at once. Its phases — CALM, WARM, HOT, CHAOS — "
                "come from all of your presses."
            </p>
            <noscript>"Pressing the button needs JavaScript."</noscript>
        </section>
    }
}
