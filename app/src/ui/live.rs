//! The live game in the page: follows `/v1/states/stream` (the state, the feed of the newest
//! presses, the newest moments, the crowd, the operators' notice) and says whether it is connected.
#![cfg_attr(not(feature = "hydrate"), allow(dead_code))]

use leptos::prelude::*;

use crate::game::State;
use crate::wire::{Crowd, FeedEntry, MomentEntry, Notice, Receipt};

/// How the page's live feed is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connection {
    /// Not connected yet (and always, in the server-rendered page).
    Connecting,
    /// States arrive live.
    Live,
    /// The connection dropped; the browser is reconnecting.
    Reconnecting,
}

impl Connection {
    /// What the status pill says.
    pub fn label(self) -> &'static str {
        match self {
            Connection::Connecting => "connecting…",
            Connection::Live => "live",
            Connection::Reconnecting => "reconnecting…",
        }
    }
}

/// The newest state the page knows, the feed, the crowd, and the connection.
#[derive(Clone, Copy)]
pub struct Live {
    /// The newest state (by id).
    pub state: RwSignal<State>,
    /// The newest presses, newest first.
    pub feed: RwSignal<Vec<FeedEntry>>,
    /// The newest moments, newest first.
    pub moments: RwSignal<Vec<MomentEntry>>,
    /// Watching, presses in the last minute.
    pub crowd: RwSignal<Crowd>,
    /// The newest operator's command, once the stream told it.
    pub notice: RwSignal<Option<Notice>>,
    /// The connection.
    pub connection: RwSignal<Connection>,
    /// This page's viewer id: its stream's name, sent with its presses so that their receipts
    /// come on the stream (empty until the page follows the stream).
    pub viewer: RwSignal<String>,
    /// The newest receipt the stream brought (of this page's own presses).
    pub receipt: RwSignal<Option<Receipt>>,
}

impl Live {
    /// The live game, starting from what the server rendered.
    pub fn new(
        initial: State,
        feed: Vec<FeedEntry>,
        moments: Vec<MomentEntry>,
        crowd: Crowd,
    ) -> Live {
        Live {
            state: RwSignal::new(initial),
            feed: RwSignal::new(feed),
            moments: RwSignal::new(moments),
            crowd: RwSignal::new(crowd),
            notice: RwSignal::new(None),
            connection: RwSignal::new(Connection::Connecting),
            viewer: RwSignal::new(String::new()),
            receipt: RwSignal::new(None),
        }
    }

    /// Takes `state` if it is newer than the one held.
    pub fn offer(&self, state: State) {
        if state.id > self.state.get_untracked().id {
            self.state.set(state);
        }
    }

    /// Starts following the stream (in the browser; the EventSource resumes with
    /// `Last-Event-ID` by itself after a drop).
    #[cfg(feature = "hydrate")]
    pub fn follow(self) {
        use wasm_bindgen::JsCast;
        use wasm_bindgen::prelude::Closure;

        if self.viewer.get_untracked().is_empty()
            && let Some(viewer) = super::me::Me::random_id()
        {
            self.viewer.set(viewer);
        }
        let url = match self.viewer.get_untracked() {
            viewer if viewer.is_empty() => crate::wire::routes::STATE_STREAM.to_owned(),
            viewer => format!("{}?viewer={viewer}", crate::wire::routes::STATE_STREAM),
        };
        let Ok(source) = web_sys::EventSource::new(&url) else {
            self.connection.set(Connection::Reconnecting);
            return;
        };
        let on_open = Closure::<dyn Fn()>::new(move || self.connection.set(Connection::Live));
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        on_open.forget();

        let on_error = Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
            self.connection.set(Connection::Reconnecting);
            // A closed source does not retry by itself: start a new one shortly.
            let closed = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::EventSource>().ok())
                .is_some_and(|s| s.ready_state() == web_sys::EventSource::CLOSED);
            if closed {
                set_timeout(move || self.follow(), std::time::Duration::from_secs(2));
            }
        });
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();

        use crate::wire::routes::{
            CROWD_EVENT, FEED_EVENT, FEED_NEW_EVENT, MOMENT_EVENT, NOTICE_EVENT, RECEIPT_EVENT,
            STATE_EVENT,
        };
        listen(&source, RECEIPT_EVENT, move |receipt: Receipt| {
            self.receipt.set(Some(receipt))
        });
        listen(&source, STATE_EVENT, move |state: State| {
            self.connection.set(Connection::Live);
            self.offer(state);
        });
        listen(&source, FEED_EVENT, move |entries: Vec<FeedEntry>| {
            self.feed.set(entries)
        });
        listen(&source, FEED_NEW_EVENT, move |new: Vec<FeedEntry>| {
            self.feed.update(|entries| {
                let mut feed = crate::wire::Feed {
                    entries: std::mem::take(entries),
                };
                feed.merge(new);
                *entries = feed.entries;
            })
        });
        listen(&source, CROWD_EVENT, move |crowd: Crowd| {
            self.crowd.set(crowd)
        });
        listen(&source, MOMENT_EVENT, move |moments: Vec<MomentEntry>| {
            self.moments.set(moments)
        });
        listen(&source, NOTICE_EVENT, move |notice: Notice| {
            self.notice.set(Some(notice))
        });
    }
}

/// Follows only the moments of the live stream (the Moments page); the browser reconnects by
/// itself after a drop.
#[cfg(feature = "hydrate")]
pub fn follow_moments(on: impl Fn(Vec<MomentEntry>) + 'static) {
    if let Ok(source) = web_sys::EventSource::new(crate::wire::routes::STATE_STREAM) {
        listen(&source, crate::wire::routes::MOMENT_EVENT, on);
    }
}

/// Calls `on` with each `name` event of `source` whose data decodes as a `T` (others are
/// dropped: the next one will do).
#[cfg(feature = "hydrate")]
fn listen<T: serde::de::DeserializeOwned + 'static>(
    source: &web_sys::EventSource,
    name: &str,
    on: impl Fn(T) + 'static,
) {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::Closure;

    let listener =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            if let Some(Ok(value)) = event.data().as_string().map(|d| serde_json::from_str(&d)) {
                on(value);
            }
        });
    let _ = source.add_event_listener_with_callback(name, listener.as_ref().unchecked_ref());
    // The listeners live as long as the page.
    listener.forget();
}
