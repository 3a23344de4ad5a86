//! The entropy meter: the crowd's heat, decaying smoothly between updates.

use leptos::prelude::*;

/// A meter of `entropy` in `[0, 1)`.
#[component]
pub fn EntropyMeter(#[prop(into)] entropy: Signal<f64>) -> impl IntoView {
    let percent = move || format!("{:.1}%", entropy.get() * 100.0);
    view! {
        <div class="meter-wrap">
            <div
                class="meter"
                role="meter"
                aria-label="Entropy: the crowd's heat"
                aria-valuemin="0"
                aria-valuemax="1"
                aria-valuenow=move || format!("{:.3}", entropy.get())
            >
                <div class="meter-fill" style:width=percent></div>
            </div>
            <p class="meter-label">"entropy " <span class="entropy-value">{move || format!("{:.3}", entropy.get())}</span></p>
        </div>
    }
}
