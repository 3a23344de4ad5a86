//! `/p/{press_id}`: the page of one press, to share. Rendered whole by the server (it works
//! without JavaScript), with OpenGraph and Twitter tags so that a shared link unfurls.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

use super::words;
use crate::state_source::load_press;
use crate::wire::FeedEntry;

/// Loads the press on the server and shows it.
#[component]
pub fn PressPage() -> impl IntoView {
    let params = use_params_map();
    let press_id = params.with_untracked(|p| p.get("press_id").unwrap_or_default());
    let press = OnceResource::new(load_press(press_id));
    view! {
        <Suspense fallback=|| view! { <main class="press-page phase-calm"><p>"Loading the press…"</p></main> }>
            {move || Suspend::new(async move {
                match press.await {
                    Ok(Some(entry)) => view! { <PressView entry=entry/> }.into_any(),
                    Ok(None) => view! {
                        <Title text="No such press · The Button"/>
                        <main class="press-page phase-calm">
                            <h1>"No such press"</h1>
                            <p>"This press was never counted (or it is still on its way). "
                               <a href="/" rel="external">"Press the button yourself."</a></p>
                        </main>
                    }.into_any(),
                    Err(_) => view! {
                        <main class="press-page phase-calm">
                            <p class="unavailable">"This press cannot be shown right now. Please reload in a moment."</p>
                        </main>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PressView(entry: FeedEntry) -> impl IntoView {
    let who = words::who(entry.handle.as_deref()).to_owned();
    let number = format!("Press #{} by ", words::count(entry.counter));
    let headline = format!("{number}{who}");
    let tipped = if entry.tipped {
        format!(", and tipped it into {}!", entry.phase.name())
    } else {
        format!(", at {}.", entry.phase.name())
    };
    let description = format!("{} {}{tipped}", entry.line(), headline);
    let title = format!("{headline} · The Button");
    view! {
        <Title text=title.clone()/>
        <Meta name="description" content=description.clone()/>
        <Meta property="og:type" content="website"/>
        <Meta property="og:site_name" content="The Button"/>
        <Meta property="og:title" content=title.clone()/>
        <Meta property="og:description" content=description.clone()/>
        <Meta name="twitter:card" content="summary"/>
        <Meta name="twitter:title" content=title/>
        <Meta name="twitter:description" content=description/>
        <main class=format!("press-page {}", words::phase_class(entry.phase)) data-phase=entry.phase.name()>
            <p class="press-page-kicker"><a href="/" rel="external">"The Button"</a></p>
            <h1>{number}<span class="handle">{who}</span></h1>
            <p class="press-line">{entry.line()}</p>
            <ul class="press-facts">
                <li>"Phase: " <strong>{entry.phase.name()}</strong></li>
                {entry.tipped.then(|| view! { <li class="press-tipped">"Tipped it!"</li> })}
                <li>"When: " <time>{words::utc_time(entry.applied_at_ms)}</time></li>
            </ul>
            <ul class="shelf">
                {entry.flair.iter().map(|flair| view! {
                    <li class=format!("flair flair-{}", flair.as_str())>{words::flair_name(*flair)}</li>
                }).collect_view()}
            </ul>
            <p><a class="press-cta" href="/" rel="external">"Press the button yourself"</a></p>
        </main>
    }
}
