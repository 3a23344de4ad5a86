//! The reveal: after the phase goes up, everyone sees which press tipped it.

use leptos::prelude::*;

use super::words;
use crate::game::{Phase, PressId};

/// The banner shown while the reveal window is open.
#[component]
pub fn RevealBanner(
    #[prop(into)] revealing: Signal<bool>,
    #[prop(into)] phase: Signal<Phase>,
    #[prop(into)] tipping_counter: Signal<Option<u64>>,
    #[prop(into)] yours: Signal<bool>,
) -> impl IntoView {
    let text = move || match tipping_counter.get() {
        Some(n) => format!(
            "Press #{} tipped the button into {}",
            words::count(n),
            phase.get()
        ),
        None => format!("A press tipped the button into {}", phase.get()),
    };
    view! {
        <Show when=move || revealing.get()>
            <div class="reveal" role="status">
                <p class="reveal-text">{text}</p>
                <Show when=move || yours.get()>
                    <p class="reveal-yours">"Your press tipped it!"</p>
                </Show>
            </div>
        </Show>
    }
}

/// Whose press tipped the phase: the receipt of `tipped_by` gives its number.
pub fn is_yours(tipped_by: Option<PressId>, last_press: Option<PressId>) -> bool {
    tipped_by.is_some() && tipped_by == last_press
}
