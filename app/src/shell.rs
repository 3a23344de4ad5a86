//! The HTML document around the app, rendered on the server.

use leptos::prelude::*;
use leptos_meta::MetaTags;

use crate::App;

/// The whole HTML page: head with the hydration scripts, body with the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
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
