//! What the server hands the pages it renders: the newest state with the crowd, the feed and the
//! newest moments (sent along for hydration), one press for its page, and the game's memory for
//! the History, Moments and Leaderboard pages. The web server provides each as context; the
//! pages call them as server functions.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::game::{Board, Period, PressId};
#[cfg(feature = "ssr")]
use crate::wire::HistoryRange;
use crate::wire::{Countries, CurrentState, FeedEntry, History, Leaderboard, MomentEntry};

/// The game page's start: the newest state with the crowd, and the newest presses.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PageStart {
    /// The state, the server's clock, the crowd.
    pub current: CurrentState,
    /// The newest presses, newest first.
    pub feed: Vec<FeedEntry>,
    /// The newest moments, newest first.
    pub moments: Vec<MomentEntry>,
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
pub type PressLoad = Load<Option<FeedEntry>>;

/// A reading from PostgreSQL, under way; the error says what went wrong, for the log.
#[cfg(feature = "ssr")]
pub type Load<T> = std::pin::Pin<Box<dyn Future<Output = Result<T, String>> + Send>>;

/// How the server reads the game's memory (provided as context by the web server).
#[cfg(feature = "ssr")]
#[derive(Clone)]
pub struct MemorySource {
    /// The history over a range.
    pub history: std::sync::Arc<dyn Fn(HistoryRange) -> Load<History> + Send + Sync>,
    /// The newest moments, newest first.
    pub moments: std::sync::Arc<dyn Fn() -> Load<Vec<MomentEntry>> + Send + Sync>,
    /// One leaderboard.
    pub leaderboard: std::sync::Arc<dyn Fn(Board, Period) -> Load<Leaderboard> + Send + Sync>,
    /// Presses by country.
    pub countries: std::sync::Arc<dyn Fn(Period) -> Load<Countries> + Send + Sync>,
}

#[cfg(feature = "ssr")]
fn memory_source() -> Result<MemorySource, ServerFnError> {
    use_context::<MemorySource>().ok_or_else(|| ServerFnError::new("no memory source"))
}

/// The history over `range` (the default range when it is not one), for the History page.
#[server(prefix = "/api", endpoint = "load_history")]
pub async fn load_history(range: String) -> Result<History, ServerFnError> {
    let range = range.parse().unwrap_or_default();
    (memory_source()?.history)(range)
        .await
        .map_err(ServerFnError::new)
}

/// The newest moments, for the Moments page.
#[server(prefix = "/api", endpoint = "load_moments")]
pub async fn load_moments() -> Result<Vec<MomentEntry>, ServerFnError> {
    (memory_source()?.moments)()
        .await
        .map_err(ServerFnError::new)
}

/// One leaderboard (players by presses, today, when the names are not a board's and a
/// period's) and the presses by country over the same period, for the Leaderboard page.
#[server(prefix = "/api", endpoint = "load_leaderboard")]
pub async fn load_leaderboard(
    board: String,
    period: String,
) -> Result<(Leaderboard, Countries), ServerFnError> {
    let board = board.parse().unwrap_or(Board::Presses);
    let period = period.parse().unwrap_or(Period::Today);
    let source = memory_source()?;
    let leaderboard = (source.leaderboard)(board, period)
        .await
        .map_err(ServerFnError::new)?;
    let countries = (source.countries)(period)
        .await
        .map_err(ServerFnError::new)?;
    Ok((leaderboard, countries))
}

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
