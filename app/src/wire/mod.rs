//! The wire: the HTTP API's types as they travel (JSON), its paths and the live stream's event
//! name, shared by the server and the browser so that both sides always agree. A file per
//! resource: `challenge`, `press`, `receipt`, `state`, `feed`, `player`, the game's memory
//! (`history`, `moment`, `leaderboard`, `countries`), the operators' `admin`, and `error` for
//! every refusal.

mod admin;
mod challenge;
mod countries;
mod error;
mod feed;
mod history;
mod leaderboard;
mod moment;
mod player;
mod press;
mod receipt;
pub mod routes;
mod state;

pub use admin::{
    AdminAccepted, AdminAction, AdminMessage, AdminStatus, MAX_NOTICE_CHARS, Notice, RulesChange,
    notice_message,
};
pub use challenge::Challenge;
pub use countries::{Countries, CountryCount};
pub use error::{ErrorBody, ErrorCode};
pub use feed::{Feed, FeedEntry, LoggedPress};
pub use history::{
    BUCKET_MINUTES, History, HistoryPoint, HistoryRange, MAX_POINTS, NotARange, bucket_ms, points,
};
pub use leaderboard::{Leaderboard, LeaderboardRow, ranks};
pub use moment::{MomentEntry, Moments};
pub use player::{PlayerProfile, ShelfItem};
pub use press::{PressAccepted, PressRequest, viewer};
pub use receipt::Receipt;
pub use state::{Crowd, CurrentState};
