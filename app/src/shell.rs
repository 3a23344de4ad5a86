//! The HTML document around the app, rendered on the server.

use leptos::prelude::*;
use leptos_meta::MetaTags;

use crate::App;

/// The page's Content-Security-Policy: scripts only from this site or carrying this response's
/// nonce (Leptos puts it on its inline hydration scripts), WebAssembly compiled, Web Workers and
/// the live stream from this site. Inline styles stay allowed: the server renders the meter's
/// width as a `style` attribute, which shows without JavaScript. `frame-ancestors` cannot be
/// set from a `<meta>`: the server sends it as a header on every answer.
pub fn content_security_policy(nonce: &str, watching: bool) -> String {
    // `cargo leptos watch` reloads the page over a WebSocket to its own port.
    let reload = if watching { " ws: wss:" } else { "" };
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'{reload}; \
         worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'"
    )
}

/// The whole HTML page: head with the hydration scripts, body with the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    // Rendered on the server only: the nonce is this response's.
    let policy = leptos::nonce::use_nonce()
        .map(|nonce| content_security_policy(&nonce, std::env::var_os("LEPTOS_WATCH").is_some()));
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                // First, so that it covers every script after it.
                {policy.map(|content| view! { <meta http-equiv="Content-Security-Policy" content=content/> })}
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                // A plain link, not <Stylesheet>: the latter is a known hydration trap in 0.8.
                <link rel="stylesheet" id="leptos" href="/pkg/the-button.css"/>
                <link rel="icon" type="image/svg+xml" href="/favicon.svg"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}
