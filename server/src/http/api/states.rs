//! `GET /v1/states/current` and the live stream `GET /v1/states/stream` (SSE): the state, the
//! feed of the newest presses, and the crowd.

use std::convert::Infallible;
use std::sync::Arc;

use app::wire::CurrentState;
use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::IntoResponse;
use futures::StreamExt;
use serde::Deserialize;
use tokio_stream::wrappers::{ReceiverStream, WatchStream};

use std::net::SocketAddr;

use axum::extract::ConnectInfo;

use crate::client_key::{client_ip, player_address};
use crate::clock::now_ms;
use crate::http::AppState;
use crate::http::error::{ApiError, ApiQuery};
use crate::live::LiveFeed;
use crate::live::frame::{KEEP_ALIVE, frame};
use app::wire::routes::RECEIPT_EVENT;
use std::time::Duration;

/// The latest committed state, with the server's clock.
#[utoipa::path(
    get,
    path = app::wire::routes::CURRENT_STATE,
    tag = "states",
    summary = "The latest committed state",
    responses(
        (status = 200, description = "GAME.md's state plus `server_time_ms`, `watching` and `presses_last_minute`", body = CurrentState),
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
            crowd: app.services.crowd.borrow().crowd,
        }),
    )
}

/// `GET /v1/states/stream`'s query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct StreamQuery {
    /// The page's own random id (32 lowercase hex digits): the receipts of the presses it sends
    /// with the same `viewer` come on this stream (`event: receipt`).
    #[param(pattern = "^[0-9a-f]{32}$")]
    viewer: Option<String>,
}

/// The current state first (unless `Last-Event-ID` says the client has it), then every newer
/// one; the feed and the crowd first, then whenever they change. A slow client gets the newest
/// of each, never a backlog. Ends on shutdown.
#[utoipa::path(
    get,
    path = app::wire::routes::STATE_STREAM,
    tag = "states",
    summary = "Live states (Server-Sent Events)",
    description = "Three kinds of event. `event: state_update`, `id: <state id>`, data: the state \
        as JSON; the current state comes first unless `Last-Event-ID` says the client has it. \
        `event: feed`, data: the newest applied presses, newest first (FeedEntry[]). \
        `event: feed_new`, data: the presses applied since the last `feed` or `feed_new`, newest \
        first (FeedEntry[]): add them to the feed (keep the newest 12 by `seq`). \
        `event: moment`, data: the newest moments, newest first (MomentEntry[]; the game's \
        records and turning points, see `/v1/moments`). \
        `event: crowd`, data: `{watching, presses_last_minute}`. The feed, the moments and the \
        crowd come first, then whenever they change. With `?viewer=`: `event: receipt`, data: \
        the receipt (as `GET /v1/presses/{press_id}` gives it) of each press sent with that \
        `viewer`, once applied.",
    params(
        ("Last-Event-ID" = Option<String>, Header, description = "The last state id received (a decimal number; anything else is ignored)"),
        StreamQuery,
    ),
    responses(
        (status = 200, description = "An event stream of states", content_type = "text/event-stream", body = String),
        (status = 400, description = "`invalid_query`: an unknown parameter, or a viewer that is not 32 lowercase hex digits", body = app::wire::ErrorBody),
        (status = 429, description = "`rate_limited`: too many requests, or too many live streams from this address (or on this server)", body = app::wire::ErrorBody),
    )
)]
pub async fn stream_states(
    State(app): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<StreamQuery>,
) -> Result<impl IntoResponse, ApiError> {
    if let Some(viewer) = &query.viewer
        && !app::wire::viewer::is_valid(viewer)
    {
        return Err(ApiError::InvalidQuery(
            "viewer must be 32 lowercase hex digits".into(),
        ));
    }
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
    let mut sent_state = last_seen;
    let mut sent_feed: Option<Arc<LiveFeed>> = None;
    let mut sent_moment: Option<(u64, &'static str)> = None;
    let mut sent_notice: Option<u64> = None;
    // Every frame but the receipts' was encoded once, for every client: each client is sent a
    // reference to it.
    let states = WatchStream::new(app.services.live.clone()).flat_map(move |live| {
        let mut frames = Vec::with_capacity(3);
        let state_due = sent_state.is_none_or(|seen| live.state.id > seen);
        if state_due {
            sent_state = Some(live.state.id);
            // Asked for the state: the last frames went into the socket (the pace follows).
            live.handover.took();
        }
        let feed_due = !live.feed.feed.entries.is_empty()
            && sent_feed
                .as_ref()
                .is_none_or(|sent| !Arc::ptr_eq(sent, &live.feed));
        // A client that has the feed before gets only what is new (a press or a few, not the
        // whole feed again: the bulk of a delivery otherwise); with the state, as one buffer.
        let only_new = feed_due
            && sent_feed
                .as_ref()
                .is_some_and(|sent| live.feed.follows(sent));
        if state_due
            && only_new
            && let Some(both) = &live.frame_and_new
        {
            frames.push(both.clone());
        } else {
            if state_due {
                frames.push(live.frame.clone());
            }
            if feed_due {
                match &live.feed.new_frame {
                    Some(new) if only_new => {
                        if !new.is_empty() {
                            frames.push(new.clone());
                        }
                    }
                    _ => frames.push(live.feed.frame.clone()),
                }
            }
        }
        if feed_due {
            sent_feed = Some(live.feed.clone());
        }
        if let Some(newest) = live.feed.newest_moment()
            && sent_moment.is_none_or(|sent| newest > sent)
        {
            frames.push(live.feed.moments_frame.clone());
            sent_moment = Some(newest);
        }
        if let Some(newest) = live.feed.notice_seq()
            && sent_notice.is_none_or(|sent| newest > sent)
        {
            frames.push(live.feed.notice_frame.clone());
            sent_notice = Some(newest);
        }
        futures::stream::iter(frames)
    });
    let crowd = WatchStream::new(app.services.crowd.clone()).map(|crowd| crowd.frame);
    // The receipts of this page's presses, if it named its stream.
    let (watching, receipts) = match &query.viewer {
        Some(viewer) => {
            let (watching, receipts) = app.services.viewers.watch(viewer);
            (Some(watching), Some(ReceiverStream::new(receipts)))
        }
        None => (None, None),
    };
    let receipts = futures::stream::iter(receipts)
        .flatten()
        .map(|receipt| frame(RECEIPT_EVENT, None, &receipt));
    // A comment now and then, so that proxies and clients see a quiet stream alive (on a clock
    // of its own: no timer to reset with every frame).
    let keep_alive = futures::stream::unfold((), |()| async {
        tokio::time::sleep(KEEP_ALIVE_EVERY).await;
        Some((KEEP_ALIVE, ()))
    });
    let frames = futures::stream::select(
        futures::stream::select(states, crowd),
        futures::stream::select(receipts, keep_alive),
    )
    .map(move |frame| {
        // Held by the stream: the slot and the viewer are given back when the stream drops.
        let _held = (&open, &watching);
        Ok::<_, Infallible>(frame)
    })
    .take_until(app.services.shutdown.clone().cancelled_owned());
    Ok((
        [
            (header::CONTENT_TYPE.as_str(), "text/event-stream"),
            ("x-accel-buffering", "no"),
            (header::CACHE_CONTROL.as_str(), "no-cache"),
        ],
        Body::from_stream(frames),
    ))
}

/// How often a stream sends a keep-alive comment.
const KEEP_ALIVE_EVERY: Duration = Duration::from_secs(15);
