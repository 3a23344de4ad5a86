//! `/moments`: the game's moments, newest first — every tip (who, at which press), milestone,
//! record and first press of a day — rendered by the server, then live as they happen.

use leptos::prelude::*;
use leptos_meta::Title;

use super::markup;
use super::nav::SiteNav;
use crate::state_source::load_moments;
use crate::wire::{MomentEntry, routes};

/// Loads the newest moments on the server and shows them.
#[component]
pub fn MomentsPage() -> impl IntoView {
    let moments = OnceResource::new(load_moments());
    view! {
        <Title text="Moments · The Button"/>
        <Suspense fallback=|| view! { <main class="memory-page"><p>"Loading the moments…"</p></main> }>
            {move || Suspend::new(async move {
                match moments.await {
                    Ok(moments) => view! { <MomentsView initial=moments/> }.into_any(),
                    Err(_) => view! {
                        <main class="memory-page">
                            <p class="unavailable">"The moments are unavailable right now. Please reload in a moment."</p>
                        </main>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn MomentsView(initial: Vec<MomentEntry>) -> impl IntoView {
    let moments = RwSignal::new(initial);
    let hydrated = RwSignal::new(false);
    Effect::new(move || {
        hydrated.set(true);
        #[cfg(feature = "hydrate")]
        super::live::follow_moments(move |made: Vec<MomentEntry>| {
            moments.update(|held| {
                let mut merged = crate::wire::Moments {
                    moments: std::mem::take(held),
                };
                merged.merge(made);
                *held = merged.moments;
            })
        });
    });
    view! {
        <main class="memory-page moments-page" data-hydrated=move || hydrated.get().to_string()>
            <SiteNav current=routes::MOMENTS_PAGE/>
            <h1>"Moments"</h1>
            <p class="memory-intro">"Every tip, milestone and record of the game, as it happens."</p>
            <div class="moments" inner_html=move || moments.with(|m| markup::moments(m))></div>
        </main>
    }
}
