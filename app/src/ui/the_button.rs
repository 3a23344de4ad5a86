//! The Button, as a player sees it: the button, the counter, the phase, the meter, and what
//! the player's press did.

use leptos::prelude::*;

use super::feed::{CrowdBar, FeedList};
use super::live::{Connection, Live};
use super::me::{Me, MyShelf};
use super::meter::EntropyMeter;
use super::moment_banner::MomentBanner;
use super::nav::SiteNav;
use super::notice_banner::NoticeBanner;
use super::presser::{PressStatus, Presser};
use super::reveal::{RevealBanner, is_yours};
use super::server_clock::ClockOffset;
use super::words;
use crate::game::PressId;
use crate::wire::{CurrentState, FeedEntry, MomentEntry, routes};
use leptos_meta::{Link, Title};

/// The id of the tab's icon that follows the phase.
const PHASE_ICON: &str = "phase-icon";

/// The whole game page, starting from `initial` and the newest presses.
#[component]
pub fn TheButton(
    initial: CurrentState,
    feed: Vec<FeedEntry>,
    moments: Vec<MomentEntry>,
) -> impl IntoView {
    let presses = feed;
    let feed = Live::new(initial.state, presses, moments, initial.crowd);
    let me = Me::new();
    let presser = Presser::new();
    let clock = RwSignal::new(ClockOffset::default());
    // The server's time, ticking: countdowns, the reveal and the meter's decay follow it.
    let now = RwSignal::new(initial.server_time_ms);
    let hydrated = RwSignal::new(false);
    let announcement = RwSignal::new(String::new());
    let tipping = RwSignal::new(None::<(PressId, u64)>);

    let state = feed.state;
    let phase = Memo::new(move |_| state.get().phase);
    let entropy = Signal::derive(move || state.get().entropy_at(now.get()));
    let cooling_ms = move || {
        presser
            .cooldown_until
            .get()
            .map(|until| until - now.get())
            .filter(|ms| *ms > 0)
    };
    let paused = move || state.with(|s| s.paused);
    let disabled = move || !hydrated.get() || paused() || presser.busy() || cooling_ms().is_some();

    Effect::new(move || {
        hydrated.set(true);
        #[cfg(feature = "hydrate")]
        {
            start_in_browser(feed, clock, now);
            me.restore();
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = clock;
    });

    // Say phase changes out loud for screen readers (not the first render).
    Effect::new(move |previous: Option<crate::game::Phase>| {
        let current = phase.get();
        if previous.is_some_and(|p| p != current) {
            announcement.set(format!("The button is now {current}."));
        }
        current
    });
    // The tab's icon follows the phase too (the title is in the view).
    #[cfg(feature = "hydrate")]
    Effect::new(move || {
        let icon = words::favicon(phase.get());
        if let Some(link) = document().get_element_by_id(PHASE_ICON) {
            let _ = link.set_attribute("href", &icon);
        }
    });
    Effect::new(move || {
        if let PressStatus::Counted { counter, phase, .. } = presser.status.get() {
            announcement.set(format!(
                "Your press number {} counted, at {phase}.",
                words::count(counter)
            ));
        }
        if let PressStatus::Failed(message) = presser.status.get() {
            announcement.set(message);
        }
    });
    // Learn the number of the press that tipped the phase, for the reveal banner.
    Effect::new(move || {
        let Some(tipped_by) = state.get().tipped_by else {
            return;
        };
        if tipping
            .get_untracked()
            .is_some_and(|(id, _)| id == tipped_by)
        {
            return;
        }
        leptos::task::spawn_local(async move {
            let url = crate::wire::routes::receipt(tipped_by);
            if let Ok(crate::wire::Receipt::Applied { counter, .. }) =
                super::http::call::<crate::wire::Receipt>("GET", &url, None).await
            {
                tipping.set(Some((tipped_by, counter)));
            }
        });
    });

    let on_press = move |_| {
        if disabled() {
            return;
        }
        leptos::task::spawn_local(presser.press(feed, me, move || now.get_untracked()));
    };

    let label = move || match presser.status.get() {
        PressStatus::Solving { rate } if rate > 0.0 => {
            format!("Solving… {}", words::hash_rate(rate))
        }
        PressStatus::Solving { .. } => "Solving…".to_owned(),
        PressStatus::Sending => "Sending…".to_owned(),
        _ if paused() => "Paused".to_owned(),
        _ => match cooling_ms() {
            Some(ms) => format!("Wait {}", words::countdown(ms)),
            None => "PRESS".to_owned(),
        },
    };
    let status_line = move || match presser.status.get() {
        PressStatus::Idle => String::new(),
        PressStatus::Solving { .. } => {
            "Solving a small proof of work, so the button stays fair…".to_owned()
        }
        PressStatus::Sending => "Sending your press…".to_owned(),
        PressStatus::Pending => "Your press is in. Counting it…".to_owned(),
        PressStatus::Unconfirmed => words::UNCONFIRMED.to_owned(),
        PressStatus::Counted {
            counter,
            phase,
            flair,
            ..
        } => format!(
            "Your press #{} counted — at {phase}{}",
            words::count(counter),
            words::earned(&flair)
        ),
        PressStatus::Failed(message) => message,
    };
    let status_is_error = move || matches!(presser.status.get(), PressStatus::Failed(_));
    let counted_line = move || match presser.status.get() {
        PressStatus::Counted { press_id, line, .. } => Some(view! {
            <p class="press-line">
                <span>{line}</span>
                " "
                <a class="press-share" href=routes::press_page(press_id) rel="external">"Your press's page"</a>
            </p>
        }),
        _ => None,
    };
    let revealing = Signal::derive(move || state.get().is_revealing(now.get()));
    let tipping_counter = Signal::derive(move || {
        let tipped_by = state.get().tipped_by;
        tipping
            .get()
            .filter(|(id, _)| Some(*id) == tipped_by)
            .map(|(_, n)| n)
    });
    let yours = Signal::derive(move || is_yours(state.get().tipped_by, presser.last_press.get()));

    // Parts of the page, their view types erased: one nested type for the whole page is too
    // deep for the compiler's release build.
    let stage = view! {
        <section class="stage">
            <p class="phase-name">{move || phase.get().name()}</p>
            <button
                class="the-button"
                class:busy=move || presser.busy()
                disabled=disabled
                on:click=on_press
            >
                <span class="spinner" aria-hidden="true"></span>
                <span class="label">{label}</span>
            </button>
            <p class="press-status" class:error=status_is_error>{status_line}</p>
            {counted_line}
            <p class="counter">
                <span class="count">{move || words::count(state.get().counter)}</span>
                " presses"
            </p>
            <EntropyMeter entropy=entropy/>
            <CrowdBar crowd=feed.crowd/>
        </section>
    }
    .into_any();
    let crowd = view! {
        <MyShelf me=me/>
        <FeedList feed=feed.feed mine=me.handle/>
    }
    .into_any();

    view! {
        <Title text=move || words::title(phase.get())/>
        <Link id=PHASE_ICON rel="icon" type_="image/svg+xml" href=words::favicon(initial.state.phase)/>
        <main
            class=move || format!("game {}", words::phase_class(phase.get()))
            data-hydrated=move || hydrated.get().to_string()
            data-phase=move || phase.get().name()
        >
            <SiteNav current="/"/>
            <header class="top">
                <h1>"The Button"</h1>
                <p class=move || format!("connection {}", match feed.connection.get() {
                    Connection::Live => "is-live",
                    Connection::Connecting => "is-connecting",
                    Connection::Reconnecting => "is-reconnecting",
                })>
                    <span class="dot" aria-hidden="true"></span>
                    {move || feed.connection.get().label()}
                </p>
            </header>

            <RevealBanner revealing=revealing phase=phase tipping_counter=tipping_counter yours=yours/>
            <NoticeBanner state=feed.state notice=feed.notice now=now/>
            <MomentBanner moments=feed.moments/>

            {stage}

            {crowd}

            <p class="sr-only" aria-live="polite">{move || announcement.get()}</p>
            <noscript><p class="noscript">"Pressing the button needs JavaScript."</p></noscript>
        </main>
    }
}

/// In the browser: follow the live stream, and keep the server clock estimated and ticking.
#[cfg(feature = "hydrate")]
fn start_in_browser(feed: Live, clock: RwSignal<ClockOffset>, now: RwSignal<i64>) {
    use std::time::Duration;

    feed.follow();
    let sync = move || {
        leptos::task::spawn_local(async move {
            let sent = js_sys::Date::now();
            if let Ok(current) =
                super::http::call::<CurrentState>("GET", crate::wire::routes::CURRENT_STATE, None)
                    .await
            {
                let received = js_sys::Date::now();
                clock.update(|c| *c = c.sample(current.server_time_ms, sent, received));
                feed.offer(current.state);
            }
        });
    };
    sync();
    set_interval(sync, Duration::from_secs(30));
    set_interval(
        move || now.set(clock.get_untracked().server_now(js_sys::Date::now())),
        Duration::from_millis(100),
    );
}
