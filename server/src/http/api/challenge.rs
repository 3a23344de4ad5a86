//! `GET /v1/challenge`: a signed challenge at the current phase's difficulty, raised by the
//! difficulty policy for a busy game and for a network that pressed a lot lately.

use app::wire::Challenge;
use axum::Json;
use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, header};
use axum::response::IntoResponse;

use crate::client_key::client_ip;
use crate::clock::now_ms;
use crate::difficulty::network_of;
use crate::http::{AppState, Services};

/// Issues a challenge; nothing is stored.
#[utoipa::path(
    get,
    path = app::wire::routes::CHALLENGE,
    tag = "presses",
    summary = "A proof-of-work challenge at the current phase's difficulty, more for a busy game \
        or a network that pressed a lot in the last minute",
    responses(
        (status = 200, description = "A signed challenge, valid until `expires_at`", body = Challenge),
        (status = 429, description = "`rate_limited`, with `Retry-After`", body = app::wire::ErrorBody),
    )
)]
pub async fn get_challenge(
    State(app): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> impl IntoResponse {
    let address = client_ip(peer, &headers, &app.services.trusted_proxies);
    let challenge = issue(&app.services, address, now_ms());
    ([(header::CACHE_CONTROL, "no-store")], Json(challenge))
}

/// A challenge for the client at `address`, at `now`: the phase's bits, raised by the difficulty
/// policy. Here and with each 202 (the client's next challenge).
pub(crate) fn issue(services: &Services, address: IpAddr, now: i64) -> Challenge {
    let phase_bits = services.live.borrow().difficulty;
    let game_presses = services.crowd.borrow().crowd.presses_last_minute;
    // Without network levels the count is of no use: no lock, no lookup.
    let network_presses = if services.difficulty.network.is_empty() {
        0
    } else {
        services.network_presses.recent(network_of(address), now)
    };
    let difficulty = services
        .difficulty
        .bits(phase_bits, game_presses, network_presses);
    crate::metrics::challenge_issued();
    services
        .challenges
        .issue(difficulty, now, services.rules.challenge_ttl_ms())
}
