//! `/v1/admin/…`: the operators' commands (pause, resume, new season, rules) and the game as
//! they see it. Guarded by a bearer token (`BUTTON_ADMIN_TOKEN`); without one configured the
//! routes do not exist (404). A command is checked here, then published to the events stream
//! like a press: the reducer applies it in order, exactly once, and writes it to the audit.

use app::game::{Command, Phase, Rules};
use app::wire::{AdminAccepted, AdminMessage, AdminStatus, RulesChange, notice_message};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use tracing::info;

use crate::bus::AdminPublishError;
use crate::clock::now_ms;
use crate::db;
use crate::http::AppState;
use crate::http::error::{ApiError, ApiJson};

/// How many of the newest commands the status shows.
const AUDIT_LEN: i64 = 20;

/// The name of the admin token a request carries: the extractor refuses the request (404 when
/// no token is configured, 401 when the token is missing or wrong) before its handler runs.
pub struct Admin(pub String);

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, ApiError> {
        let tokens = &app.services.admin_tokens;
        if !tokens.enabled() {
            return Err(ApiError::NotFound(
                "no such route in this API; see /openapi.json".into(),
            ));
        }
        let presented = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(str::trim)
            .unwrap_or_default();
        match tokens.name_of(presented) {
            Some(name) => Ok(Admin(name.to_owned())),
            None => {
                crate::metrics::admin_refused();
                Err(ApiError::Unauthorized)
            }
        }
    }
}

/// A body that may be empty (`{}` then).
fn message_body(body: &Bytes) -> Result<Option<String>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let request: AdminMessage = serde_json::from_slice(body)
        .map_err(|e| ApiError::InvalidBody(format!("the body is not a valid request: {e}")))?;
    notice_message(request.message.as_deref()).map_err(ApiError::InvalidBody)
}

/// Sends a command to the reducer; 202 once the stream stored it.
async fn send(
    app: &AppState,
    Admin(by): Admin,
    command: Command,
    message: Option<String>,
) -> Result<(StatusCode, Json<AdminAccepted>), ApiError> {
    let action_id = uuid::Uuid::new_v4();
    let seq = app
        .services
        .admin
        .publish(action_id, command, (by.clone(), message), now_ms())
        .await
        .map_err(|error| match error {
            AdminPublishError::Unconfirmed(cause) => ApiError::Unavailable(format!(
                "{cause} (the command {action_id} may still be applied: see /v1/admin/status \
                 before sending it again)"
            )),
            other => ApiError::Unavailable(other.to_string()),
        })?;
    info!(%action_id, seq, ?command, %by, "operator's command sent");
    Ok((StatusCode::ACCEPTED, Json(AdminAccepted { action_id, seq })))
}

/// Pauses the game.
#[utoipa::path(
    post,
    path = app::wire::routes::ADMIN_PAUSE,
    tag = "admin",
    summary = "Pause the game: presses answer 503 `paused` until it resumes",
    request_body(content = AdminMessage, description = "What to tell the players (optional; an empty body is fine)"),
    security(("admin_token" = [])),
    responses(
        (status = 202, description = "Sent; the reducer applies it in order", body = AdminAccepted),
        (status = 400, description = "`invalid_body`", body = app::wire::ErrorBody),
        (status = 401, description = "`unauthorized`: no or a wrong admin token", body = app::wire::ErrorBody),
        (status = 413, description = "`too_large`: the body is over 1 KiB", body = app::wire::ErrorBody),
        (status = 404, description = "`not_found`: no admin token is configured", body = app::wire::ErrorBody),
        (status = 503, description = "`unavailable`", body = app::wire::ErrorBody),
    )
)]
pub async fn pause(
    State(app): State<AppState>,
    admin: Admin,
    body: Bytes,
) -> Result<(StatusCode, Json<AdminAccepted>), ApiError> {
    let message = message_body(&body)?;
    send(&app, admin, Command::Pause, message).await
}

/// Resumes the game.
#[utoipa::path(
    post,
    path = app::wire::routes::ADMIN_RESUME,
    tag = "admin",
    summary = "Resume the game: presses are taken again",
    security(("admin_token" = [])),
    responses(
        (status = 202, description = "Sent; the reducer applies it in order", body = AdminAccepted),
        (status = 401, description = "`unauthorized`", body = app::wire::ErrorBody),
        (status = 404, description = "`not_found`: no admin token is configured", body = app::wire::ErrorBody),
        (status = 503, description = "`unavailable`", body = app::wire::ErrorBody),
    )
)]
pub async fn resume(
    State(app): State<AppState>,
    admin: Admin,
) -> Result<(StatusCode, Json<AdminAccepted>), ApiError> {
    send(&app, admin, Command::Resume, None).await
}

/// Starts a new season.
#[utoipa::path(
    post,
    path = app::wire::routes::ADMIN_SEASON,
    tag = "admin",
    summary = "Start a new season: the counter, the phase and the entropy start again",
    request_body(content = AdminMessage, description = "What to tell the players (optional; an empty body is fine)"),
    security(("admin_token" = [])),
    responses(
        (status = 202, description = "Sent; the reducer applies it in order", body = AdminAccepted),
        (status = 400, description = "`invalid_body`", body = app::wire::ErrorBody),
        (status = 401, description = "`unauthorized`", body = app::wire::ErrorBody),
        (status = 413, description = "`too_large`: the body is over 1 KiB", body = app::wire::ErrorBody),
        (status = 404, description = "`not_found`: no admin token is configured", body = app::wire::ErrorBody),
        (status = 503, description = "`unavailable`", body = app::wire::ErrorBody),
    )
)]
pub async fn new_season(
    State(app): State<AppState>,
    admin: Admin,
    body: Bytes,
) -> Result<(StatusCode, Json<AdminAccepted>), ApiError> {
    let message = message_body(&body)?;
    send(&app, admin, Command::NewSeason, message).await
}

/// What a running game cannot change without a redeploy: the challenge lifetime sizes the
/// stream's duplicate window, and the longest cooldown how long the cooldown bucket keeps a
/// press (both set when the web servers start).
fn fits_the_running_servers(new: &Rules, running: &Rules) -> Result<(), String> {
    if new.challenge_ttl_ms() != running.challenge_ttl_ms() {
        return Err(format!(
            "challenge_ttl_ms cannot change while the game runs (it is {} ms): it sizes the \
             events stream's duplicate window; change it in BUTTON_RULES and redeploy",
            running.challenge_ttl_ms()
        ));
    }
    let longest = |rules: &Rules| {
        Phase::ALL
            .iter()
            .map(|phase| rules.press_cooldown_ms(*phase))
            .max()
            .unwrap_or(0)
    };
    if longest(new) > longest(running) {
        return Err(format!(
            "press_cooldown_ms may not exceed {} ms while the game runs (the cooldown bucket \
             keeps presses that long); change it in BUTTON_RULES and redeploy",
            longest(running)
        ));
    }
    Ok(())
}

/// Changes the rules.
#[utoipa::path(
    put,
    path = app::wire::routes::ADMIN_RULES,
    tag = "admin",
    summary = "Change the rules: validated, stored, then applied from their place in the stream",
    request_body = RulesChange,
    security(("admin_token" = [])),
    responses(
        (status = 202, description = "Sent; every state from there on names the new rules", body = AdminAccepted),
        (status = 400, description = "`invalid_body`: invalid rules, or a change the running servers cannot follow", body = app::wire::ErrorBody),
        (status = 401, description = "`unauthorized`", body = app::wire::ErrorBody),
        (status = 413, description = "`too_large`: the body is over 1 KiB", body = app::wire::ErrorBody),
        (status = 404, description = "`not_found`: no admin token is configured", body = app::wire::ErrorBody),
        (status = 503, description = "`unavailable`", body = app::wire::ErrorBody),
    )
)]
pub async fn change_rules(
    State(app): State<AppState>,
    admin: Admin,
    body: Result<ApiJson<RulesChange>, ApiError>,
) -> Result<(StatusCode, Json<AdminAccepted>), ApiError> {
    let ApiJson(change) = body?;
    let message = notice_message(change.message.as_deref()).map_err(ApiError::InvalidBody)?;
    let rules = Rules::try_from(change.rules)
        .map_err(|e| ApiError::InvalidBody(format!("the rules are invalid: {e}")))?;
    fits_the_running_servers(&rules, &app.services.rules).map_err(ApiError::InvalidBody)?;
    // Stored first: the reducer finds them by hash when the command comes.
    db::install_rules(&app.services.pool, &rules).await?;
    let command = Command::Rules {
        rules_hash: rules.hash(),
    };
    send(&app, admin, command, message).await
}

/// The game as an operator sees it.
#[utoipa::path(
    get,
    path = app::wire::routes::ADMIN_STATUS,
    tag = "admin",
    summary = "The newest state, the rules in force and the newest commands (the audit)",
    security(("admin_token" = [])),
    responses(
        (status = 200, description = "The game's status", body = AdminStatus),
        (status = 401, description = "`unauthorized`", body = app::wire::ErrorBody),
        (status = 404, description = "`not_found`: no admin token is configured", body = app::wire::ErrorBody),
        (status = 503, description = "`unavailable`", body = app::wire::ErrorBody),
    )
)]
pub async fn status(
    State(app): State<AppState>,
    _admin: Admin,
) -> Result<Json<AdminStatus>, ApiError> {
    let pool = &app.services.pool;
    let state = match db::current_state(pool).await? {
        Some(state) => state,
        None => app.services.live.borrow().state,
    };
    let rules = db::load_rules(pool, state.rules_hash).await?.spec();
    let audit = db::admin_audit(pool, AUDIT_LEN).await?;
    Ok(Json(AdminStatus {
        state,
        rules,
        audit,
    }))
}
