//! `POST /v1/events/press`: checks a solved challenge in GAME.md's order, then hands the press
//! to JetStream and answers 202 only once it is stored.

use std::net::SocketAddr;

use app::game::{Command, PressId};
use app::wire::{PressAccepted, PressRequest};
use axum::Json;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use tracing::info;

use crate::bus::{PublishError, Published};
use crate::challenge::Redemption;
use crate::client_key::client_ip;
use crate::clock::now_ms;
use crate::http::AppState;
use crate::http::error::{ApiError, ApiJson};
use crate::metrics;

/// Takes a press, and counts its outcome.
#[utoipa::path(
    post,
    path = app::wire::routes::PRESS,
    tag = "presses",
    summary = "Press the button with a solved challenge",
    description = "Checks, in this order: body, signature, expiry, work, cooldown, rate limit, \
        reuse. Answers 202 only once JetStream has stored the press: from then on it is never \
        lost nor counted twice. Every refusal changes nothing.",
    request_body = PressRequest,
    responses(
        (status = 202, description = "Stored; it will be applied exactly once", body = PressAccepted),
        (status = 400, description = "`invalid_body`", body = app::wire::ErrorBody),
        (status = 403, description = "`bad_signature` or `insufficient_work`", body = app::wire::ErrorBody),
        (status = 408, description = "`timeout`: the request took too long", body = app::wire::ErrorBody),
        (status = 409, description = "`challenge_used`", body = app::wire::ErrorBody),
        (status = 410, description = "`expired`", body = app::wire::ErrorBody),
        (status = 413, description = "`too_large`: the body is over 1 KiB", body = app::wire::ErrorBody),
        (status = 429, description = "`cooldown` or `rate_limited`, with `Retry-After`", body = app::wire::ErrorBody),
        (status = 503, description = "`paused`: an operator paused the game, nothing was taken; \
            `unavailable`: the press was not taken; or `unconfirmed`: \
            it left for the stream but was not confirmed in time, so it may still count (the \
            body's `press_id` names its receipt)", body = app::wire::ErrorBody),
    )
)]
pub async fn post_press(
    State(app): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<ApiJson<PressRequest>, ApiError>,
) -> Result<(StatusCode, Json<PressAccepted>), ApiError> {
    let answer = match body {
        Ok(ApiJson(request)) => take_press(&app, peer, &headers, request).await,
        Err(error) => Err(error),
    };
    metrics::press_outcome(match &answer {
        Ok(_) => "accepted",
        Err(error) => error.status_and_code().1.as_str(),
    });
    answer
}

async fn take_press(
    app: &AppState,
    peer: SocketAddr,
    headers: &HeaderMap,
    request: PressRequest,
) -> Result<(StatusCode, Json<PressAccepted>), ApiError> {
    let services = &app.services;
    let now = now_ms();
    let (phase_difficulty, phase_since_ms, cooldown_ms) = {
        let live = services.live.borrow();
        if live.paused {
            // What the operator said when pausing, if the newest command is that pause.
            let said = live.feed.notice.as_ref().and_then(|notice| {
                (notice.command == Command::Pause)
                    .then(|| notice.message.clone())
                    .flatten()
            });
            return Err(ApiError::Paused(said));
        }
        (live.difficulty, live.phase_since_ms, live.cooldown_ms)
    };
    // Form, signature, expiry, the phase's difficulty, work: each refusal changes nothing.
    let redemption = Redemption {
        now_ms: now,
        lifetime_ms: services.rules.challenge_ttl_ms(),
        phase_difficulty,
        phase_since_ms,
    };
    services.challenges.verify(&request, &redemption)?;

    let address = client_ip(peer, headers, &services.trusted_proxies);
    let client_key = services.client_keys.key(address);
    // The country is all that leaves this function of the address (and the salted key).
    let country = services.geo.country(address);
    let reservation = services
        .cooldowns
        .reserve(&client_key, now, cooldown_ms)
        .await?;

    // A v4 UUID from the thread's generator: `Uuid::new_v4` asks the kernel (a syscall a press).
    let press_id = PressId(uuid::Builder::from_random_bytes(rand::random()).into_uuid());
    let player = request
        .player_token
        .as_deref()
        .map(|token| services.player_keys.player(token));
    match services
        .publisher
        .publish(
            press_id,
            &request.challenge_id,
            (client_key, country),
            (player, request.viewer.clone()),
            now,
        )
        .await
    {
        Ok(Published::Stored { seq }) => {
            info!(%press_id, seq, "press accepted");
            // Counted only when the difficulty policy looks at networks (a lock per press).
            if !services.difficulty.network.is_empty() {
                services
                    .network_presses
                    .add(crate::difficulty::network_of(address), now);
            }
            Ok((
                StatusCode::ACCEPTED,
                Json(PressAccepted {
                    press_id,
                    timestamp_ms: now,
                    handle: player.map(|p| p.handle().to_string()),
                    next_challenge: Some(super::challenge::issue(services, address, now)),
                }),
            ))
        }
        Ok(Published::Duplicate) => {
            services.cooldowns.release(reservation).await;
            Err(ApiError::ChallengeUsed)
        }
        Err(PublishError::Unavailable(cause)) => {
            services.cooldowns.release(reservation).await;
            Err(ApiError::Unavailable(cause))
        }
        // It may count: the cooldown stays taken, so it can never count twice for the player.
        Err(PublishError::Unconfirmed(cause)) => Err(ApiError::Unconfirmed { press_id, cause }),
    }
}
