//! `GET /v1/states/current` and the live stream `GET /v1/states/stream` (SSE).

use std::convert::Infallible;
use std::future::ready;

use app::wire::CurrentState;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::IntoResponse;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::StreamExt;
use tokio_stream::wrappers::WatchStream;

use std::net::SocketAddr;

use axum::extract::ConnectInfo;

use crate::client_key::{client_ip, player_address};
use crate::clock::now_ms;
use crate::http::AppState;
use crate::http::error::ApiError;
use crate::live::LiveState;

/// The latest committed state, with the server's clock.
#[utoipa::path(
    get,
    path = app::wire::routes::CURRENT_STATE,
    tag = "states",
    summary = "The latest committed state",
    responses(
        (status = 200, description = "GAME.md's state plus `server_time_ms`", body = CurrentState),
        (status = 429, description = "`rate_limited`, with `Retry-After`", body = app::wire::ErrorBody),
    )
)]
pub async fn get_current_state(State(app): State<AppState>) -> impl IntoResponse {
    let state = app.services.live.borrow().state;
    (
        [(header::CACHE_CONTROL, "no-store")],
        Json(CurrentState {
            state,
            server_time_ms: now_ms(),
            crowd: Default::default(),
        }),
    )
}

/// The current state first (unless `Last-Event-ID` says the client has it), then every newer
/// one. A slow client gets the newest state, never a backlog. Ends on shutdown.
#[utoipa::path(
    get,
    path = app::wire::routes::STATE_STREAM,
    tag = "states",
    summary = "Live states (Server-Sent Events)",
    description = "`event: state_update`, `id: <state id>`, data: the state as JSON. The current \
        state comes first unless `Last-Event-ID` says the client has it.",
    params(("Last-Event-ID" = Option<String>, Header, description = "The last state id received (a decimal number; anything else is ignored)")),
    responses(
        (status = 200, description = "An event stream of states", content_type = "text/event-stream", body = String),
        (status = 429, description = "`rate_limited`: too many requests, or too many live streams from this address (or on this server)", body = app::wire::ErrorBody),
    )
)]
pub async fn stream_states(
    State(app): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Result<impl IntoResponse, ApiError> {
    let last_seen: Option<u64> = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok());
    let player = player_address(client_ip(peer, &headers, &app.services.trusted_proxies));
    let open = app
        .services
        .live_streams
        .open(player)
        .map_err(|_| ApiError::TooManyStreams)?;
    let states = WatchStream::new(app.services.live.clone())
        .filter(move |state| ready(last_seen.is_none_or(|seen| state.id > seen)))
        .map(move |state| {
            // Held by the stream: the slot is given back when the stream drops.
            let _open = &open;
            Ok::<_, Infallible>(state_event(&state))
        })
        .take_until(app.services.shutdown.clone().cancelled_owned());
    Ok((
        [
            ("x-accel-buffering", "no"),
            (header::CACHE_CONTROL.as_str(), "no-cache"),
        ],
        Sse::new(states).keep_alive(KeepAlive::default()),
    ))
}

fn state_event(live: &LiveState) -> Event {
    // The JSON was encoded once, when the state arrived, for every client.
    Event::default()
        .event(app::wire::routes::STATE_EVENT)
        .id(live.state.id.to_string())
        .data(&*live.json)
}
