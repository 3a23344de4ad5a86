//! What the server hands the pages it renders: the newest state with the crowd and the feed
//! (sent along for hydration), and one press for its page. The web server provides both as
//! context; the pages call them as server functions.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::game::PressId;
use crate::wire::{CurrentState, FeedEntry};

/// The game page's start: the newest state with the crowd, and the newest presses.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PageStart {
    /// The state, the server's clock, the crowd.
    pub current: CurrentState,
    /// The newest presses, newest first.
    pub feed: Vec<FeedEntry>,
}

/// How the server reads its latest state and feed (provided as context by the web server).
#[cfg(feature = "ssr")]
#[derive(Clone)]
pub struct StateSource(pub std::sync::Arc<dyn Fn() -> PageStart + Send + Sync>);

/// How the server reads one applied press (provided as context by the web server): `Ok(None)`
/// when no press with that id was applied.
#[cfg(feature = "ssr")]
#[derive(Clone)]
pub struct PressSource(pub std::sync::Arc<dyn Fn(PressId) -> PressLoad + Send + Sync>);

/// The reading of one press, under way.
#[cfg(feature = "ssr")]
pub type PressLoad =
    std::pin::Pin<Box<dyn Future<Output = Result<Option<FeedEntry>, String>> + Send>>;

/// The latest committed state, the server's clock, the crowd and the feed.
#[server(prefix = "/api", endpoint = "load_page_start")]
pub async fn load_page_start() -> Result<PageStart, ServerFnError> {
    let source =
        use_context::<StateSource>().ok_or_else(|| ServerFnError::new("no state source"))?;
    Ok((source.0)())
}

/// One applied press, for its page; `None` if there is none with that id (or it is not an id).
#[server(prefix = "/api", endpoint = "load_press")]
pub async fn load_press(press_id: String) -> Result<Option<FeedEntry>, ServerFnError> {
    let Ok(press_id) = press_id.parse::<crate::game::PressId>() else {
        return Ok(None);
    };
    let source =
        use_context::<PressSource>().ok_or_else(|| ServerFnError::new("no press source"))?;
    (source.0)(press_id).await.map_err(ServerFnError::new)
}
