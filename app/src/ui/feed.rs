//! The crowd on the page: how many are watching, how many pressed in the last minute, and the
//! feed of the newest presses (handle, flair, phase, "tipped it!", the line each got), each
//! linking to its page. Rendered by the server first, then live.

use leptos::prelude::*;

use super::words;
use crate::wire::{Crowd, FeedEntry, routes};

/// "2 watching · 14 presses in the last minute".
#[component]
pub fn CrowdBar(crowd: RwSignal<Crowd>) -> impl IntoView {
    view! {
        <p class="crowd">
            <span class="watching">{move || words::watching(crowd.get().watching)}</span>
            " · "
            <span class="last-minute">{move || words::presses_last_minute(crowd.get().presses_last_minute)}</span>
        </p>
    }
    .into_any()
}

/// The newest presses, newest first; the player's own stand out.
#[component]
pub fn FeedList(feed: RwSignal<Vec<FeedEntry>>, mine: RwSignal<Option<String>>) -> impl IntoView {
    view! {
        <section class="feed" aria-label="Latest presses">
            <h2>"Latest presses"</h2>
            <Show
                when=move || !feed.get().is_empty()
                fallback=|| view! { <p class="feed-empty">"Nobody has pressed yet. Be the first!"</p> }
            >
                <ol class="feed-list">
                    <For
                        each=move || feed.get()
                        key=|entry| entry.seq
                        children=move |entry| view! { <FeedItem entry=entry mine=mine/> }
                    />
                </ol>
            </Show>
        </section>
    }
    .into_any()
}

#[component]
fn FeedItem(entry: FeedEntry, mine: RwSignal<Option<String>>) -> impl IntoView {
    let yours = {
        let handle = entry.handle.clone();
        move || handle.is_some() && mine.get() == handle
    };
    view! {
        <li class=format!("feed-item {}", words::phase_class(entry.phase)) class:yours=yours>
            <a class="feed-link" href=routes::press_page(entry.press_id) rel="external">
                <span class="feed-who">{words::who(entry.handle.as_deref()).to_owned()}</span>
                <span class="feed-counter">" #" {words::count(entry.counter)}</span>
                <span class="feed-phase">" · " {entry.phase.name()}</span>
                {entry.tipped.then(|| view! { <span class="feed-tipped">" · tipped it!"</span> })}
                <span class="feed-flair">
                    {entry.flair.iter().map(|flair| view! {
                        <span class=format!("flair flair-{}", flair.as_str())>{words::flair_name(*flair)}</span>
                    }).collect_view()}
                </span>
                <span class="feed-line">{entry.line()}</span>
            </a>
        </li>
    }
    .into_any()
}
