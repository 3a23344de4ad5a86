//! The game page's banner of the newest moment: rendered by the server, replaced live when the
//! next one happens.

use leptos::prelude::*;

use super::words;
use crate::wire::{MomentEntry, routes};

/// The newest moment, and the way to all of them.
#[component]
pub fn MomentBanner(moments: RwSignal<Vec<MomentEntry>>) -> impl IntoView {
    let newest = move || moments.with(|m| m.first().map(words::moment_line));
    view! {
        <Show when=move || newest().is_some()>
            <p class="moment-banner" aria-live="polite">
                <span class="moment-banner-line">{newest}</span>
                " "
                <a href=routes::MOMENTS_PAGE rel="external">"All moments"</a>
            </p>
        </Show>
    }
    .into_any()
}
