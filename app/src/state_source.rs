//! The state the page is first rendered with: read by the server, sent along for hydration.

use leptos::prelude::*;

use crate::wire::CurrentState;

/// How the server reads its latest state (provided as context by the web server).
#[cfg(feature = "ssr")]
#[derive(Clone)]
pub struct StateSource(pub std::sync::Arc<dyn Fn() -> CurrentState + Send + Sync>);

/// The latest committed state and the server's clock.
#[server(prefix = "/api", endpoint = "load_current_state")]
pub async fn load_current_state() -> Result<CurrentState, ServerFnError> {
    let source =
        use_context::<StateSource>().ok_or_else(|| ServerFnError::new("no state source"))?;
    Ok((source.0)())
}
