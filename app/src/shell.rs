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

/// The stylesheet's path: `/pkg/the-button.<hash>.css` when the build hashed its files (the
/// hash file beside the binary says so, as it does for the script and the WASM). Read once: the
/// files of a running binary do not change.
fn stylesheet_href(options: &LeptosOptions) -> String {
    static HREF: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HREF.get_or_init(|| read_stylesheet_href(options)).clone()
}

fn read_stylesheet_href(options: &LeptosOptions) -> String {
    let pkg = &options.site_pkg_dir;
    let name = &options.output_name;
    let hash = options
        .hash_files
        .then(|| {
            let exe = std::env::current_exe().ok()?;
            let hashes = std::fs::read_to_string(exe.parent()?.join(options.hash_file.as_ref()));
            hashes.ok()?.lines().find_map(|line| {
                let (file, hash) = line.split_once(':')?;
                (file.trim() == "css").then(|| hash.trim().to_owned())
            })
        })
        .flatten();
    match hash {
        Some(hash) => format!("/{pkg}/{name}.{hash}.css"),
        None => format!("/{pkg}/{name}.css"),
    }
}

/// Tells the player when the page's script cannot start, and offers a reload: the WASM did not
/// load, or came from another build than the page (an upgrade under way, an old cached page), or
/// hydration failed. Any of these rejects the hydration script's promise; a script that never
/// says it started (`data-started` on `<html>`, set by the frontend) within 20 s counts too.
/// Plain JavaScript, with the page's nonce: it must work when the WASM does not. The notice is
/// made only when needed, so the server's HTML is exactly what hydration expects.
const STALLED_SCRIPT: &str = r#"(function () {
  var shown = false;
  function stalled() {
    if (shown || document.documentElement.hasAttribute("data-started")) return;
    shown = true;
    var box = document.createElement("div");
    box.id = "page-stalled";
    box.className = "page-stalled";
    box.setAttribute("role", "alert");
    var text = document.createElement("p");
    text.textContent = "This page could not start: the game may have just been updated. Reload to get the new version.";
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = "Reload";
    button.onclick = function () { window.location.reload(); };
    box.appendChild(text);
    box.appendChild(button);
    document.body.appendChild(box);
  }
  window.addEventListener("unhandledrejection", stalled);
  window.addEventListener("error", function (event) {
    if (event.error instanceof WebAssembly.RuntimeError) stalled();
  });
  window.setTimeout(stalled, 20000);
})();"#;

/// The whole HTML page: head with the hydration scripts, body with the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    // Rendered on the server only: the nonce is this response's.
    let nonce = leptos::nonce::use_nonce();
    let policy = nonce
        .as_ref()
        .map(|nonce| content_security_policy(nonce, std::env::var_os("LEPTOS_WATCH").is_some()));
    let stylesheet = stylesheet_href(&options);
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                // First, so that it covers every script after it.
                {policy.map(|content| view! { <meta http-equiv="Content-Security-Policy" content=content/> })}
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                // A plain link, not <Stylesheet>: the latter is a known hydration trap in 0.8.
                <link rel="stylesheet" id="leptos" href=stylesheet/>
                <link rel="icon" type="image/svg+xml" href="/favicon.svg"/>
                // Before the hydration script: it must hear that script fail.
                <script nonce=nonce>{STALLED_SCRIPT}</script>
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
