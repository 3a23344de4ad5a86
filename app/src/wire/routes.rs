//! Where the API is: its paths and the live stream's event name, one home for the server's
//! routes (and their OpenAPI description) and the page's calls.

use crate::game::PressId;

/// `GET`: a fresh challenge to solve.
pub const CHALLENGE: &str = "/v1/challenge";
/// `POST`: a solved challenge, pressed.
pub const PRESS: &str = "/v1/events/press";
/// `GET`: the press log, as NDJSON, a page at a time (`?after_seq=…&limit=…`).
pub const PRESS_LOG: &str = "/v1/presses";
/// `GET`: the receipt of a press (the route's pattern; [`receipt`] makes one press's path).
pub const RECEIPT: &str = "/v1/presses/{press_id}";
/// `GET`: a player's record, by handle (the route's pattern; [`player`] makes one's path).
pub const PLAYER: &str = "/v1/players/{handle}";
/// `GET`: the game's history for charts (`?range=1h|24h|7d|all`).
pub const HISTORY: &str = "/v1/history";
/// `GET`: the moments, newest first (`?before_seq=…&limit=…`).
pub const MOMENTS: &str = "/v1/moments";
/// `GET`: one leaderboard (`?board=…&period=today|all`).
pub const LEADERBOARD: &str = "/v1/leaderboard";
/// `GET`: presses by country (`?period=today|all`).
pub const COUNTRIES: &str = "/v1/countries";
/// `GET`: the newest committed state.
pub const CURRENT_STATE: &str = "/v1/states/current";
/// `GET`: the live states, as server-sent events.
pub const STATE_STREAM: &str = "/v1/states/stream";

/// `POST`: pause the game (admin token).
pub const ADMIN_PAUSE: &str = "/v1/admin/pause";
/// `POST`: take presses again (admin token).
pub const ADMIN_RESUME: &str = "/v1/admin/resume";
/// `POST`: start a new season (admin token).
pub const ADMIN_SEASON: &str = "/v1/admin/season";
/// `PUT`: change the rules (admin token).
pub const ADMIN_RULES: &str = "/v1/admin/rules";
/// `GET`: the game as an operator sees it, with the audit (admin token).
pub const ADMIN_STATUS: &str = "/v1/admin/status";

/// The SSE event name of a state on [`STATE_STREAM`].
pub const STATE_EVENT: &str = "state_update";
/// The SSE event name of the feed (the newest presses) on [`STATE_STREAM`].
pub const FEED_EVENT: &str = "feed";
/// The SSE event name of the presses applied since the stream's last [`FEED_EVENT`] or
/// `FEED_NEW_EVENT` on [`STATE_STREAM`], newest first: added to the feed (`Feed::merge`).
pub const FEED_NEW_EVENT: &str = "feed_new";
/// The SSE event name of the crowd (watching, presses in the last minute) on [`STATE_STREAM`].
pub const CROWD_EVENT: &str = "crowd";

/// The SSE event name of the newest operator's command on [`STATE_STREAM`].
pub const NOTICE_EVENT: &str = "notice";
/// The SSE event name of an applied press's receipt on the [`STATE_STREAM`] of the viewer that
/// pressed (`?viewer=…`, the press's `viewer`).
pub const RECEIPT_EVENT: &str = "receipt";

/// The SSE event name of a moment on [`STATE_STREAM`].
pub const MOMENT_EVENT: &str = "moment";

/// The History page: the charts.
pub const HISTORY_PAGE: &str = "/history";
/// The Moments page.
pub const MOMENTS_PAGE: &str = "/moments";
/// The Leaderboard page.
pub const LEADERBOARD_PAGE: &str = "/leaderboard";

/// The page of a press (the route's pattern; [`press_page`] makes one press's path).
pub const PRESS_PAGE: &str = "/p/{press_id}";

/// The page of one press, to share.
pub fn press_page(press_id: PressId) -> String {
    format!("/p/{press_id}")
}

/// The path of one player's record.
pub fn player(handle: &str) -> String {
    format!("/v1/players/{handle}")
}

/// The path of one press's receipt.
pub fn receipt(press_id: PressId) -> String {
    format!("/v1/presses/{press_id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_receipts_path_fills_the_routes_pattern() {
        let id: PressId = "0191a3b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b"
            .parse()
            .expect("a press id");
        assert_eq!(
            receipt(id),
            RECEIPT.replace("{press_id}", "0191a3b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b")
        );
    }
}
