//! The browser's entry point: hydrates the server-rendered page.

/// Called by the hydration script once the WASM has loaded.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    // The page's watchdog (app's shell) stays quiet from here on.
    let _ = leptos::prelude::document()
        .document_element()
        .map(|html| html.set_attribute("data-started", ""));
}
